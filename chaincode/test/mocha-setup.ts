// fabric-shim and fabric-contract-api log every refused transaction at ERROR and every decorator at
// INFO; the tests assert on responses instead. CRITICAL keeps the console for real crashes.
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'CRITICAL';

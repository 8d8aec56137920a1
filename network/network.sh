#!/usr/bin/env bash
#
# network.sh: bring up and operate the approval-ledger Hyperledger Fabric 3.1 network (2.5 works too)
# (BeijingMSP, TianjinMSP, HebeiMSP, and OrdererMSP with one Raft orderer per region).
#
#   ./network.sh up [--ca]            crypto material (cryptogen, or the Fabric CAs with --ca), then start
#                                     the CAs, orderers and peers with docker compose
#   ./network.sh channel              create channel `approval` and join every orderer and peer to it
#   ./network.sh deploy               one chaincode-as-a-service package PER chaincode definition (one per
#                                     region and per recognition pair, approval-beijing ... approval-tj-he: the
#                                     same code, its own label and chaincode servers), install them, start the
#                                     servers, and approve and commit each definition with its own policy
#   ./network.sh enroll <org> <user> <role> [dept]
#                                     register and enroll an identity with ledger.role / ledger.dept
#   ./network.sh down                 stop everything and remove the generated material
#   ./network.sh profiles [--dns] [--out DIR]
#                                     (re)write the connection profiles
#   ./network.sh describe             print the topology this script uses, as JSON
#
# Needs Docker (engine + compose plugin), the Fabric 3.1 binaries (peer, configtxgen, osnadmin, cryptogen,
# configtxlator) and fabric-ca-client 1.5 on PATH, and jq. `profiles` and `describe` need none of them.

set -euo pipefail

NETWORK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${NETWORK_DIR}/.." && pwd)"
ORGS_DIR="${NETWORK_DIR}/organizations"
ARTIFACTS_DIR="${NETWORK_DIR}/channel-artifacts"
COMPOSE_DIR="${NETWORK_DIR}/compose"
PROFILES_DIR="${NETWORK_DIR}/profiles"

readonly CHANNEL_NAME="approval"
readonly CHANNEL_PROFILE="ApprovalChannel"
# The chaincode (the legacy definition's name). It is deployed under several chaincode definitions, one per region
# and one per recognition pair, each with its own endorsement policy (protocol src/registries/namespaces.ts is the
# plan; network/test checks this table against it), and each on a ccaas package of its own (label
# <definition>_<version>, chaincode servers {{.peername}}_<definition>_ccaas): a peer keeps one transaction
# context per package and transaction id, so a definition calling another definition of the SAME package in one
# transaction fails ("INVOKE_CHAINCODE failed: txid ... exists"), as recognitions reading a region's namespace
# did on Fabric 2.4.9 with one shared package. Fabric's validator
# checks, per namespace written, each written key's key-level policy, else the definition's policy: a first
# write has no key-level policy, so only these per-namespace policies keep a region's records from being
# endorsed by other regions alone. See README.md "Why a record cannot be forged across regions".
readonly CHAINCODE_NAME="approval-ledger"
readonly CHAINCODE_DEFINITIONS=(
  "approval-beijing=OR('BeijingMSP.peer')"
  "approval-tianjin=OR('TianjinMSP.peer')"
  "approval-hebei=OR('HebeiMSP.peer')"
  "approval-bj-tj=AND('BeijingMSP.peer','TianjinMSP.peer')"
  "approval-bj-he=AND('BeijingMSP.peer','HebeiMSP.peer')"
  "approval-tj-he=AND('TianjinMSP.peer','HebeiMSP.peer')"
)
# The single definition of the hub's legacy namespace mode (connection profiles' x-approval-ledger.chaincode), for
# a network whose records were written before the hub routed each record to its namespace above. Any region's
# peer satisfies its policy, so a record written there is NOT protected against cross-region forgery: see
# README.md. A new deployment leaves it out (LEGACY_DEFINITION unset or none) and its profiles say
# "namespaces": "plan"; LEGACY_DEFINITION=yes deploys it as below (or name=policy), and NAMESPACE_MODE=legacy
# writes profiles that make the hub transact through it.
readonly LEGACY_DEFINITION_DEFAULT="approval-ledger=OR('BeijingMSP.peer','TianjinMSP.peer','HebeiMSP.peer')"
case "${LEGACY_DEFINITION:-none}" in
  none) LEGACY_DEPLOYED=false LEGACY_DEFINITION="${LEGACY_DEFINITION_DEFAULT}" ;;
  yes) LEGACY_DEPLOYED=true LEGACY_DEFINITION="${LEGACY_DEFINITION_DEFAULT}" ;;
  *) LEGACY_DEPLOYED=true ;;
esac
readonly LEGACY_DEFINITION LEGACY_DEPLOYED
readonly NAMESPACE_MODE="${NAMESPACE_MODE:-plan}"
[[ "${NAMESPACE_MODE}" == plan || "${NAMESPACE_MODE}" == legacy ]] ||
  { echo "NAMESPACE_MODE must be plan or legacy, not ${NAMESPACE_MODE}" >&2; exit 1; }
readonly CCAAS_PORT=9999
readonly CCAAS_IMAGE="approval-ledger-ccaas:${CCAAS_IMAGE_TAG:-latest}"
readonly COMPOSE_PROJECT="approval-ledger"
readonly CCAAS_PROJECT="approval-ledger-ccaas"
readonly ORDERER_MSP="OrdererMSP"
readonly ORDERER_DOMAIN="orderer.ledger.gov.cn"
readonly ORDERER_CA_HOST="ca.${ORDERER_DOMAIN}"
readonly ORDERER_CA_NAME="ca-orderer"
readonly ORDERER_CA_PORT=10054
readonly ORDERER_CA_OPS_PORT=11054
readonly REGION_KEYS=(beijing tianjin hebei)
# The channel's LifecycleEndorsement policy (configtx.yaml) is MAJORITY Endorsement: a chaincode definition is
# committed once this many regions approved it, so one region down does not block a deploy.
readonly LIFECYCLE_MAJORITY=$((${#REGION_KEYS[@]} / 2 + 1))
# Certificate attributes read by the chaincode (ctx.clientIdentity.getAttributeValue), and their values.
readonly ROLE_ATTRIBUTE="ledger.role"
readonly DEPT_ATTRIBUTE="ledger.dept"
readonly ROLES="approver authority admin auditor"
readonly DEPARTMENTS="DRC PNR HC EE FIRE SAMR CREDIT"
CC_VERSION="${CC_VERSION:-1.0}"
CC_SEQUENCE="${CC_SEQUENCE:-auto}"
CC_INIT_FUNCTION="${CC_INIT_FUNCTION:-}"
CA_ADMIN_SECRET="${CA_ADMIN_SECRET:-adminpw}"
LEDGER_REGISTRAR_SECRET="${LEDGER_REGISTRAR_SECRET:-ledger-registrarpw}"

# ----------------------------------------------------------------------------------------------------------
# output
# ----------------------------------------------------------------------------------------------------------
log() { printf '[network] %s\n' "$*" >&2; }
die() {
  printf '[network] ERROR: %s\n' "$*" >&2
  exit 1
}

# Prints a command (secrets masked) and runs it.
run() {
  local shown=() arg mask_next=0
  for arg in "$@"; do
    if ((mask_next)); then
      shown+=("****")
      mask_next=0
      continue
    fi
    case "$arg" in
      --id.secret) mask_next=1 ;;
    esac
    shown+=("$(printf '%s' "$arg" | sed -E 's#(https://[^:/@]+):[^@]+@#\1:****@#')")
  done
  log "+ ${shown[*]}"
  "$@"
}

# ----------------------------------------------------------------------------------------------------------
# topology: region digit R (Beijing 7, Tianjin 8, Hebei 9) => orderer R050, peer R051, peer chaincode
# listener R052, orderer admin R053, CA R054, orderer operations R443, peer operations R444, CA operations 1R054
# ----------------------------------------------------------------------------------------------------------
load_region() {
  local digit
  case "${1,,}" in
    beijing | bj | beijingmsp) ORG_KEY=beijing ORG_CODE=BJ ORG_MSP=BeijingMSP digit=7 ;;
    tianjin | tj | tianjinmsp) ORG_KEY=tianjin ORG_CODE=TJ ORG_MSP=TianjinMSP digit=8 ;;
    hebei | he | hebeimsp) ORG_KEY=hebei ORG_CODE=HE ORG_MSP=HebeiMSP digit=9 ;;
    *) die "unknown organisation '$1' (use beijing|tianjin|hebei, BJ|TJ|HE or the MSP ID)" ;;
  esac
  ORG_DOMAIN="${ORG_KEY}.ledger.gov.cn"
  ORG_DIR="${ORGS_DIR}/peerOrganizations/${ORG_DOMAIN}"
  PEER_HOST="peer0.${ORG_DOMAIN}"
  PEER_PORT="${digit}051"
  PEER_CC_PORT="${digit}052"
  PEER_OPS_PORT="${digit}444"
  PEER_NAME="peer0${ORG_KEY}"
  ORDERER_HOST="orderer0.${ORG_KEY}.ledger.gov.cn"
  ORDERER_PORT="${digit}050"
  ORDERER_ADMIN_PORT="${digit}053"
  ORDERER_OPS_PORT="${digit}443"
  CA_HOST="ca.${ORG_DOMAIN}"
  CA_NAME="ca-${ORG_KEY}"
  CA_PORT="${digit}054"
  CA_OPS_PORT="1${digit}054"
  ORG_TLS_CA="${ORG_DIR}/tlsca/tlsca.${ORG_DOMAIN}-cert.pem"
  ORG_ADMIN_MSP="${ORG_DIR}/users/Admin@${ORG_DOMAIN}/msp"
}

ORDERER_ORG_DIR="${ORGS_DIR}/ordererOrganizations/${ORDERER_DOMAIN}"
ORDERER_TLS_CA="${ORDERER_ORG_DIR}/tlsca/tlsca.${ORDERER_DOMAIN}-cert.pem"
ORDERER_ADMIN_TLS_CERT="${ORDERER_ORG_DIR}/users/Admin@${ORDERER_DOMAIN}/tls/client.crt"
ORDERER_ADMIN_TLS_KEY="${ORDERER_ORG_DIR}/users/Admin@${ORDERER_DOMAIN}/tls/client.key"

# ----------------------------------------------------------------------------------------------------------
# prerequisites
# ----------------------------------------------------------------------------------------------------------
require_docker() {
  command -v docker >/dev/null 2>&1 ||
    die "docker not found on PATH: install Docker Engine and its compose plugin to run '${COMMAND}'"
  docker info >/dev/null 2>&1 ||
    die "docker is installed but no Docker engine answers ('docker info' failed): start the Docker daemon"
  docker compose version >/dev/null 2>&1 ||
    die "the docker compose plugin is missing ('docker compose version' failed)"
}

require_bins() {
  local bin
  for bin in "$@"; do
    command -v "$bin" >/dev/null 2>&1 ||
      die "'${bin}' not found on PATH (needed by '${COMMAND}'): install the Hyperledger Fabric 3.1 binaries and fabric-ca-client 1.5 (bin/ of the release archives) and jq, and add them to PATH"
  done
}

# The peer CLI reads core.yaml from FABRIC_CFG_PATH: the config/ directory shipped next to the Fabric bin/.
require_peer_cli() {
  require_bins peer
  local candidate="${FABRIC_CLI_CFG:-$(dirname "$(command -v peer)")/../config}"
  [[ -f "${candidate}/core.yaml" ]] ||
    die "core.yaml for the peer CLI not found in '${candidate}': set FABRIC_CLI_CFG to the config/ directory of the Fabric 3.1 release"
  PEER_CLI_CFG="$(cd "${candidate}" && pwd)"
  local version
  version="$(peer version 2>/dev/null || true)"
  if grep -q 'Version: v\?2\.5\.' <<<"${version}"; then
    log "note: Fabric 2.5 binaries: the network runs, but its peers offer the chaincode no batched calls (GET_STATE_MULTIPLE, WRITE_BATCH_STATE, Fabric 3.1), so a batch of milestones costs two peer round trips per record"
  elif ! grep -q 'Version: v\?3\.[1-9]' <<<"${version}"; then
    log "warning: 'peer version' reports neither Fabric 3.1+ nor 2.5; this network is defined for Fabric 3.1 (2.5 works)"
  fi
}

require_crypto() {
  [[ -d "${ORGS_DIR}/peerOrganizations" && -d "${ORDERER_ORG_DIR}" ]] ||
    die "no crypto material in ${ORGS_DIR}: run './network.sh up' first"
}

# ----------------------------------------------------------------------------------------------------------
# docker compose
# ----------------------------------------------------------------------------------------------------------
compose_network() {
  run docker compose -p "${COMPOSE_PROJECT}" \
    -f "${COMPOSE_DIR}/compose-network.yaml" -f "${COMPOSE_DIR}/compose-ca.yaml" "$@"
}

compose_ca() {
  run docker compose -p "${COMPOSE_PROJECT}" -f "${COMPOSE_DIR}/compose-ca.yaml" "$@"
}

# compose_ccaas <compose args...>: every definition's package id (channel-artifacts/package-ids, "none" for a
# definition not packaged yet) as the CHAINCODE_ID_<DEFINITION> variable its chaincode servers take.
compose_ccaas() {
  local definition name ids=() id profiles=()
  for definition in "${CHAINCODE_DEFINITIONS[@]}" "${LEGACY_DEFINITION}"; do
    name="$(definition_name "${definition}")"
    id="$(package_id_of "${name}")"
    ids+=("$(package_id_var "${name}")=${id:-none}")
  done
  [[ "${LEGACY_DEPLOYED}" == false ]] || profiles=(--profile legacy)
  run env "${ids[@]}" CCAAS_IMAGE_TAG="${CCAAS_IMAGE_TAG:-latest}" \
    docker compose -p "${CCAAS_PROJECT}" -f "${COMPOSE_DIR}/compose-ccaas.yaml" "${profiles[@]}" "$@"
}

# ----------------------------------------------------------------------------------------------------------
# up
# ----------------------------------------------------------------------------------------------------------
cmd_up() {
  local mode=cryptogen
  while (($#)); do
    case "$1" in
      --ca) mode=ca ;;
      --cryptogen) mode=cryptogen ;;
      *) die "up: unknown option '$1' (use --ca or --cryptogen)" ;;
    esac
    shift
  done
  require_docker
  if [[ "${mode}" == cryptogen ]]; then require_bins cryptogen; else require_bins fabric-ca-client; fi

  if [[ -d "${ORGS_DIR}/peerOrganizations" ]]; then
    log "crypto material already in ${ORGS_DIR}: reusing it ('./network.sh down' removes it)"
    prepare_ca_homes none
  elif [[ "${mode}" == cryptogen ]]; then
    log "generating development crypto material with cryptogen"
    run cryptogen generate --config="${NETWORK_DIR}/crypto/cryptogen.yaml" --output="${ORGS_DIR}"
    prepare_ca_homes cryptogen
  else
    log "issuing crypto material from the Fabric CAs"
    prepare_ca_homes ca
    compose_ca up -d
    wait_for_cas
    enroll_orderer_org_with_ca
    local key
    for key in "${REGION_KEYS[@]}"; do enroll_peer_org_with_ca "${key}"; done
  fi

  log "starting the CAs, orderers and peers"
  compose_network up -d
  write_profiles "${PROFILES_DIR}" localhost
  log "network is up. Next: ./network.sh channel && ./network.sh deploy"
}

# Lays out each CA server's home: its config and, in cryptogen mode, the cryptogen CA cert and key.
prepare_ca_homes() {
  local mode="$1" key home base domain
  for key in "${REGION_KEYS[@]}" orderer; do
    home="${ORGS_DIR}/fabric-ca/${key}"
    mkdir -p "${home}"
    run cp "${NETWORK_DIR}/ca/${key}/fabric-ca-server-config.yaml" "${home}/fabric-ca-server-config.yaml"
    [[ "${mode}" == cryptogen ]] || continue
    if [[ "${key}" == orderer ]]; then
      domain="${ORDERER_DOMAIN}"
      base="${ORDERER_ORG_DIR}"
    else
      domain="${key}.ledger.gov.cn"
      base="${ORGS_DIR}/peerOrganizations/${domain}"
    fi
    run cp "${base}/ca/ca.${domain}-cert.pem" "${home}/ca-cert.pem"
    run cp "${base}/ca/priv_sk" "${home}/ca-key.pem"
  done
}

wait_for_cas() {
  local key tries
  for key in "${REGION_KEYS[@]}" orderer; do
    tries=0
    until [[ -s "${ORGS_DIR}/fabric-ca/${key}/tls-cert.pem" ]]; do
      ((tries += 1))
      ((tries <= 60)) || die "the CA of '${key}' did not start within 60 s (docker logs ca.*.ledger.gov.cn)"
      sleep 1
    done
  done
  sleep 2
}

# NodeOU configuration of an MSP folder, pointing at the CA certificate found in its cacerts/.
write_node_ous() {
  local msp="$1" cacert
  cacert="$(find "${msp}/cacerts" -maxdepth 1 -type f -name '*.pem' | head -n 1)"
  [[ -n "${cacert}" ]] || die "no CA certificate in ${msp}/cacerts"
  cacert="cacerts/$(basename "${cacert}")"
  cat >"${msp}/config.yaml" <<EOF
NodeOUs:
  Enable: true
  ClientOUIdentifier:
    Certificate: ${cacert}
    OrganizationalUnitIdentifier: client
  PeerOUIdentifier:
    Certificate: ${cacert}
    OrganizationalUnitIdentifier: peer
  AdminOUIdentifier:
    Certificate: ${cacert}
    OrganizationalUnitIdentifier: admin
  OrdererOUIdentifier:
    Certificate: ${cacert}
    OrganizationalUnitIdentifier: orderer
EOF
}

# ca_register <registrar-home> <ca-url> <ca-name> <tls-root> <name> <secret> <type> [extra args...]
ca_register() {
  local home="$1" url="$2" caname="$3" tlsroot="$4" name="$5" secret="$6" type="$7"
  shift 7
  if FABRIC_CA_CLIENT_HOME="${home}" fabric-ca-client identity list --id "${name}" -u "${url}" \
    --caname "${caname}" --tls.certfiles "${tlsroot}" >/dev/null 2>&1; then
    log "identity '${name}' is already registered with ${caname}"
    return 0
  fi
  run fabric-ca-client register -H "${home}" -u "${url}" --caname "${caname}" --tls.certfiles "${tlsroot}" \
    --id.name "${name}" --id.secret "${secret}" --id.type "${type}" "$@"
}

# ca_enroll_node <ca-host:port> <ca-name> <tls-root> <name> <secret> <node-dir> <tls-kind server|client> [hosts]
ca_enroll_node() {
  local hostport="$1" caname="$2" tlsroot="$3" name="$4" secret="$5" dir="$6" kind="$7" hosts=()
  [[ -z "${8:-}" ]] || hosts=(--csr.hosts "$8")
  run fabric-ca-client enroll -u "https://${name}:${secret}@${hostport}" --caname "${caname}" \
    --tls.certfiles "${tlsroot}" -M "${dir}/msp" "${hosts[@]}"
  write_node_ous "${dir}/msp"
  run fabric-ca-client enroll -u "https://${name}:${secret}@${hostport}" --caname "${caname}" \
    --tls.certfiles "${tlsroot}" -M "${dir}/tls" --enrollment.profile tls "${hosts[@]}"
  cp "${dir}"/tls/tlscacerts/* "${dir}/tls/ca.crt"
  cp "${dir}"/tls/signcerts/* "${dir}/tls/${kind}.crt"
  cp "${dir}"/tls/keystore/* "${dir}/tls/${kind}.key"
}

# The organisation-level (verifying) MSP and the ca/ tlsca/ folders, laid out as cryptogen does.
lay_out_org_msp() {
  local base="$1" domain="$2" root="$3"
  mkdir -p "${base}/msp/cacerts" "${base}/msp/tlscacerts" "${base}/ca" "${base}/tlsca"
  cp "${root}" "${base}/msp/cacerts/ca.${domain}-cert.pem"
  cp "${root}" "${base}/msp/tlscacerts/tlsca.${domain}-cert.pem"
  cp "${root}" "${base}/ca/ca.${domain}-cert.pem"
  cp "${root}" "${base}/tlsca/tlsca.${domain}-cert.pem"
  write_node_ous "${base}/msp"
}

enroll_peer_org_with_ca() {
  load_region "$1"
  local root="${ORGS_DIR}/fabric-ca/${ORG_KEY}/ca-cert.pem" url="https://localhost:${CA_PORT}"
  local home="${ORGS_DIR}/fabric-ca-client/${ORG_KEY}/admin"
  log "enrolling ${ORG_MSP}: peer0, Admin, User1 from ${CA_NAME}"
  run fabric-ca-client enroll -u "https://ca-admin:${CA_ADMIN_SECRET}@localhost:${CA_PORT}" --caname "${CA_NAME}" \
    --tls.certfiles "${root}" -H "${home}"
  lay_out_org_msp "${ORG_DIR}" "${ORG_DOMAIN}" "${root}"
  ca_register "${home}" "${url}" "${CA_NAME}" "${root}" peer0 "${PEER_SECRET:-peer0pw}" peer --id.affiliation "${ORG_KEY}"
  ca_register "${home}" "${url}" "${CA_NAME}" "${root}" "${ORG_KEY}-admin" "${ORG_ADMIN_SECRET:-orgadminpw}" admin --id.affiliation "${ORG_KEY}"
  ca_register "${home}" "${url}" "${CA_NAME}" "${root}" user1 "${USER1_SECRET:-user1pw}" client --id.affiliation "${ORG_KEY}"
  ca_enroll_node "localhost:${CA_PORT}" "${CA_NAME}" "${root}" peer0 "${PEER_SECRET:-peer0pw}" \
    "${ORG_DIR}/peers/${PEER_HOST}" server "${PEER_HOST},localhost,127.0.0.1"
  ca_enroll_node "localhost:${CA_PORT}" "${CA_NAME}" "${root}" "${ORG_KEY}-admin" "${ORG_ADMIN_SECRET:-orgadminpw}" \
    "${ORG_DIR}/users/Admin@${ORG_DOMAIN}" client
  ca_enroll_node "localhost:${CA_PORT}" "${CA_NAME}" "${root}" user1 "${USER1_SECRET:-user1pw}" \
    "${ORG_DIR}/users/User1@${ORG_DOMAIN}" client
}

enroll_orderer_org_with_ca() {
  local root="${ORGS_DIR}/fabric-ca/orderer/ca-cert.pem" url="https://localhost:${ORDERER_CA_PORT}"
  local home="${ORGS_DIR}/fabric-ca-client/orderer/admin" key
  log "enrolling ${ORDERER_MSP}: three orderers and Admin from ${ORDERER_CA_NAME}"
  run fabric-ca-client enroll -u "https://ca-admin:${CA_ADMIN_SECRET}@localhost:${ORDERER_CA_PORT}" \
    --caname "${ORDERER_CA_NAME}" --tls.certfiles "${root}" -H "${home}"
  lay_out_org_msp "${ORDERER_ORG_DIR}" "${ORDERER_DOMAIN}" "${root}"
  ca_register "${home}" "${url}" "${ORDERER_CA_NAME}" "${root}" orderer-admin "${ORDERER_ADMIN_SECRET:-ordereradminpw}" admin --id.affiliation orderer
  ca_enroll_node "localhost:${ORDERER_CA_PORT}" "${ORDERER_CA_NAME}" "${root}" orderer-admin \
    "${ORDERER_ADMIN_SECRET:-ordereradminpw}" "${ORDERER_ORG_DIR}/users/Admin@${ORDERER_DOMAIN}" client
  for key in "${REGION_KEYS[@]}"; do
    load_region "${key}"
    ca_register "${home}" "${url}" "${ORDERER_CA_NAME}" "${root}" "orderer0-${ORG_KEY}" "${ORDERER_SECRET:-ordererpw}" orderer \
      --id.affiliation "orderer.${ORG_KEY}"
    ca_enroll_node "localhost:${ORDERER_CA_PORT}" "${ORDERER_CA_NAME}" "${root}" "orderer0-${ORG_KEY}" \
      "${ORDERER_SECRET:-ordererpw}" "${ORDERER_ORG_DIR}/orderers/${ORDERER_HOST}" server "${ORDERER_HOST},localhost,127.0.0.1"
  done
}

# ----------------------------------------------------------------------------------------------------------
# channel
# ----------------------------------------------------------------------------------------------------------
# Environment of the peer CLI acting as the organisation's admin against its own peer.
set_peer_env() {
  load_region "$1"
  export FABRIC_CFG_PATH="${PEER_CLI_CFG}"
  export CORE_PEER_TLS_ENABLED=true
  export CORE_PEER_LOCALMSPID="${ORG_MSP}"
  export CORE_PEER_TLS_ROOTCERT_FILE="${ORG_TLS_CA}"
  export CORE_PEER_MSPCONFIGPATH="${ORG_ADMIN_MSP}"
  export CORE_PEER_ADDRESS="localhost:${PEER_PORT}"
}

# retry <attempts> <command...>
retry() {
  local attempts="$1" n=1
  shift
  until "$@"; do
    ((n < attempts)) || return 1
    log "attempt ${n}/${attempts} failed; retrying in 3 s"
    ((n += 1))
    sleep 3
  done
}

cmd_channel() {
  require_bins configtxgen osnadmin configtxlator jq
  require_peer_cli
  require_crypto
  local block="${ARTIFACTS_DIR}/${CHANNEL_NAME}.block" key channels
  mkdir -p "${ARTIFACTS_DIR}"
  log "creating the genesis block of channel '${CHANNEL_NAME}' (profile ${CHANNEL_PROFILE}, no system channel)"
  run env FABRIC_CFG_PATH="${NETWORK_DIR}/configtx" configtxgen -profile "${CHANNEL_PROFILE}" \
    -outputBlock "${block}" -channelID "${CHANNEL_NAME}"

  for key in "${REGION_KEYS[@]}"; do
    load_region "${key}"
    log "joining ${ORDERER_HOST} to '${CHANNEL_NAME}' (channel participation API)"
    if osnadmin_answered 200 "$(osnadmin channel list --channelID "${CHANNEL_NAME}" -o "localhost:${ORDERER_ADMIN_PORT}" \
      --ca-file "${ORDERER_TLS_CA}" --client-cert "${ORDERER_ADMIN_TLS_CERT}" \
      --client-key "${ORDERER_ADMIN_TLS_KEY}" 2>&1 || true)"; then
      log "${ORDERER_HOST} already serves '${CHANNEL_NAME}'"
      continue
    fi
    retry 5 osnadmin_join "${block}" || die "${ORDERER_HOST} could not join '${CHANNEL_NAME}'"
  done

  for key in "${REGION_KEYS[@]}"; do
    set_peer_env "${key}"
    log "joining ${PEER_HOST} to '${CHANNEL_NAME}'"
    channels="$(peer channel list 2>/dev/null || true)"
    if grep -qx "${CHANNEL_NAME}" <<<"${channels}"; then
      log "${PEER_HOST} already joined '${CHANNEL_NAME}'"
      continue
    fi
    retry 5 run peer channel join -b "${block}" || die "${PEER_HOST} could not join '${CHANNEL_NAME}'"
  done
  verify_anchor_peers
}

# osnadmin_answered <HTTP status> <osnadmin output>: osnadmin exits 0 whatever the HTTP status of its answer
# (Fabric 2.4, 2.5 and 3.1: "Status: 404" for a channel the orderer does not serve), so its first line decides.
osnadmin_answered() {
  [[ "$(head -n 1 <<<"$2")" == "Status: $1" ]]
}

# osnadmin_join <genesis block>: joins the current region's orderer to the channel; succeeds on 201 Created only.
osnadmin_join() {
  local output
  output="$(run osnadmin channel join --channelID "${CHANNEL_NAME}" --config-block "$1" \
    -o "localhost:${ORDERER_ADMIN_PORT}" --ca-file "${ORDERER_TLS_CA}" \
    --client-cert "${ORDERER_ADMIN_TLS_CERT}" --client-key "${ORDERER_ADMIN_TLS_KEY}")" || true
  osnadmin_answered 201 "${output}" && return 0
  log "osnadmin channel join did not answer 201 Created: ${output//$'\n'/ }"
  return 1
}

# The anchor peers come with the genesis block (AnchorPeers in configtx.yaml); check that they are there.
verify_anchor_peers() {
  set_peer_env beijing
  local config="${ARTIFACTS_DIR}/${CHANNEL_NAME}-config.pb" anchors key
  log "checking the anchor peers in the configuration of '${CHANNEL_NAME}'"
  retry 5 run peer channel fetch config "${config}" -o "localhost:${ORDERER_PORT}" \
    --ordererTLSHostnameOverride "${ORDERER_HOST}" -c "${CHANNEL_NAME}" --tls --cafile "${ORDERER_TLS_CA}" ||
    die "could not fetch the configuration of '${CHANNEL_NAME}' from ${ORDERER_HOST}"
  for key in "${REGION_KEYS[@]}"; do
    load_region "${key}"
    anchors="$(configtxlator proto_decode --input "${config}" --type common.Block |
      jq -r --arg org "${ORG_MSP}" '.data.data[0].payload.data.config.channel_group.groups.Application.groups[$org].values.AnchorPeers.value.anchor_peers // [] | map("\(.host):\(.port)") | join(",")')"
    [[ "${anchors}" == "${PEER_HOST}:${PEER_PORT}" ]] ||
      die "anchor peer of ${ORG_MSP} is '${anchors}', expected ${PEER_HOST}:${PEER_PORT}"
    log "anchor peer of ${ORG_MSP}: ${anchors}"
  done
  log "channel '${CHANNEL_NAME}' is ready on 3 orderers and 3 peers"
}

# ----------------------------------------------------------------------------------------------------------
# deploy (chaincode as a service)
# ----------------------------------------------------------------------------------------------------------
# One ccaas package per chaincode definition, all running the same chaincode: a peer keeps one transaction
# context per PACKAGE and transaction id, so a definition that calls another definition (recognitions read the
# regions' namespaces) must not share its package. Each package has its own label (<definition>_<version>) and
# its own chaincode servers: connection.json names {{.peername}}_<definition>_ccaas (templated per peer by
# CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG), an address no other definition uses.
package_label() { printf '%s_%s' "$1" "${CC_VERSION}"; }
ccaas_address() { printf '{{.peername}}_%s_ccaas:%s' "$1" "${CCAAS_PORT}"; }
# The compose variable carrying a definition's package id: approval-bj-tj -> CHAINCODE_ID_APPROVAL_BJ_TJ.
package_id_var() {
  local upper="${1^^}"
  printf 'CHAINCODE_ID_%s' "${upper//-/_}"
}
# The package id `deploy` recorded for a definition (channel-artifacts/package-ids: "<definition> <id>" lines).
package_id_of() {
  [[ -f "${ARTIFACTS_DIR}/package-ids" ]] || return 0
  awk -v name="$1" '$1 == name { print $2 }' "${ARTIFACTS_DIR}/package-ids"
}

# package_ccaas <definition> <out>: connection.json and metadata.json of type ccaas, for that definition alone.
package_ccaas() {
  local name="$1" out="$2" tmp
  tmp="$(mktemp -d)"
  mkdir -p "${tmp}/src" "${tmp}/pkg"
  cat >"${tmp}/src/connection.json" <<EOF
{
  "address": "$(ccaas_address "${name}")",
  "dial_timeout": "10s",
  "tls_required": false
}
EOF
  cat >"${tmp}/pkg/metadata.json" <<EOF
{
  "type": "ccaas",
  "label": "$(package_label "${name}")"
}
EOF
  run tar -C "${tmp}/src" -czf "${tmp}/pkg/code.tar.gz" connection.json
  run tar -C "${tmp}/pkg" -czf "${out}" metadata.json code.tar.gz
  rm -rf "${tmp}"
}

orderer_args() {
  load_region "$1"
  ORDERER_ARGS=(-o "localhost:${ORDERER_PORT}" --ordererTLSHostnameOverride "${ORDERER_HOST}" --tls --cafile "${ORDERER_TLS_CA}")
}

# definition_name / definition_policy <name=policy>: the two halves of a CHAINCODE_DEFINITIONS entry.
definition_name() { printf '%s' "${1%%=*}"; }
definition_policy() { printf '%s' "${1#*=}"; }

# Sets SEQUENCE to the next sequence of definition DEF_NAME, or to "" when this version is already committed.
resolve_sequence() {
  set_peer_env "${DEPLOY_PEER:-beijing}"
  local committed version
  committed="$(peer lifecycle chaincode querycommitted -C "${CHANNEL_NAME}" -n "${DEF_NAME}" --output json 2>/dev/null || true)"
  [[ -n "${committed}" ]] || committed='{}'
  version="$(printf '%s' "${committed}" | jq -r '.version // empty')"
  if [[ "${CC_SEQUENCE}" != auto ]]; then
    SEQUENCE="${CC_SEQUENCE}"
  elif [[ -n "${version}" && "${version}" == "${CC_VERSION}" ]]; then
    SEQUENCE=""
  else
    SEQUENCE="$(($(printf '%s' "${committed}" | jq -r '.sequence // 0') + 1))"
  fi
}

cmd_deploy() {
  require_docker
  require_bins jq
  require_peer_cli
  require_crypto
  local key name package package_id definition definitions=("${CHAINCODE_DEFINITIONS[@]}")
  [[ "${LEGACY_DEPLOYED}" == false ]] || definitions+=("${LEGACY_DEFINITION}")
  mkdir -p "${ARTIFACTS_DIR}"

  log "building the chaincode-as-a-service image ${CCAAS_IMAGE}"
  run docker build -f "${NETWORK_DIR}/ccaas/Dockerfile" -t "${CCAAS_IMAGE}" "${REPO_ROOT}"
  set_peer_env beijing
  : >"${ARTIFACTS_DIR}/package-ids"
  for definition in "${definitions[@]}"; do
    name="$(definition_name "${definition}")"
    package="${ARTIFACTS_DIR}/${name}.tar.gz"
    log "packaging ${name} ${CC_VERSION} as ccaas (label $(package_label "${name}"))"
    package_ccaas "${name}" "${package}"
    package_id="$(peer lifecycle chaincode calculatepackageid "${package}")"
    log "package id of ${name}: ${package_id}"
    printf '%s %s\n' "${name}" "${package_id}" >>"${ARTIFACTS_DIR}/package-ids"
  done

  local reachable=() installed
  for key in "${REGION_KEYS[@]}"; do
    installed=true
    for definition in "${definitions[@]}"; do
      name="$(definition_name "${definition}")"
      install_package "${key}" "${ARTIFACTS_DIR}/${name}.tar.gz" "$(package_id_of "${name}")" || {
        installed=false
        break
      }
    done
    if [[ "${installed}" == true ]]; then
      reachable+=("${key}")
    else
      log "WARNING: could not install on ${PEER_HOST}; going on without ${ORG_MSP} (it can approve later)"
    fi
  done
  ((${#reachable[@]} >= LIFECYCLE_MAJORITY)) ||
    die "only ${#reachable[@]} peer(s) reachable (${reachable[*]:-none}); the lifecycle policy needs ${LIFECYCLE_MAJORITY} regions"
  DEPLOY_PEER="${reachable[0]}"

  log "starting the chaincode servers (one per definition per peer, each with its definition's package id)"
  compose_ccaas up -d --no-build

  for definition in "${definitions[@]}"; do
    DEF_NAME="$(definition_name "${definition}")"
    DEF_POLICY="$(definition_policy "${definition}")"
    deploy_definition "$(package_id_of "${DEF_NAME}")" "${reachable[@]}"
  done
  maybe_init
  log "deployed ${CHAINCODE_NAME} ${CC_VERSION} as ${#definitions[@]} definitions on '${CHANNEL_NAME}', each on its own package (${ARTIFACTS_DIR}/package-ids)"
}

# deploy_definition <package id> <region...>: approves (every reachable region, each for its own peers, on the
# definition's own package) and commits definition DEF_NAME with endorsement policy DEF_POLICY.
deploy_definition() {
  local package_id="$1" key
  shift
  resolve_sequence
  if [[ -z "${SEQUENCE}" ]]; then
    log "${DEF_NAME} ${CC_VERSION} is already committed on '${CHANNEL_NAME}'; set CC_VERSION to upgrade"
    return 0
  fi
  for key in "$@"; do
    set_peer_env "${key}"
    orderer_args "${key}"
    run peer lifecycle chaincode approveformyorg "${ORDERER_ARGS[@]}" --channelID "${CHANNEL_NAME}" \
      --name "${DEF_NAME}" --version "${CC_VERSION}" --package-id "${package_id}" \
      --sequence "${SEQUENCE}" --signature-policy "${DEF_POLICY}" ||
      log "WARNING: ${ORG_MSP} did not approve ${DEF_NAME} (already approved, or its peer or orderer failed)"
  done
  check_commit_readiness
  commit_definition "$@"
  log "committed ${DEF_NAME} ${CC_VERSION} (sequence ${SEQUENCE}) with endorsement policy ${DEF_POLICY}"
}

# install_package <region> <package> <package id>: installs unless the peer has it; fails when the peer does not answer.
install_package() {
  set_peer_env "$1"
  local installed
  installed="$(peer lifecycle chaincode queryinstalled --output json)" || return 1
  if printf '%s' "${installed}" |
    jq -e --arg id "$3" '(.installed_chaincodes // []) | map(.package_id) | index($id) != null' >/dev/null; then
    log "${PEER_HOST} already has $3"
  else
    run peer lifecycle chaincode install "$2" || return 1
  fi
}

# approved_count <checkcommitreadiness JSON>: how many organisations approved the definition.
approved_count() {
  printf '%s' "$1" | jq '[(.approvals // {})[] | select(. == true)] | length'
}

# approvals_suffice <checkcommitreadiness JSON>: whether MAJORITY Endorsement is met (LIFECYCLE_MAJORITY regions).
approvals_suffice() {
  local count
  count="$(approved_count "$1")" || return 1
  ((count >= LIFECYCLE_MAJORITY))
}

check_commit_readiness() {
  set_peer_env "${DEPLOY_PEER:-beijing}"
  local readiness
  readiness="$(peer lifecycle chaincode checkcommitreadiness --channelID "${CHANNEL_NAME}" --name "${DEF_NAME}" \
    --version "${CC_VERSION}" --sequence "${SEQUENCE}" --signature-policy "${DEF_POLICY}" --output json)"
  log "commit readiness: $(printf '%s' "${readiness}" | jq -c '.approvals')"
  approvals_suffice "${readiness}" ||
    die "only $(approved_count "${readiness}") of ${#REGION_KEYS[@]} organisations approved ${DEF_NAME} ${CC_VERSION} sequence ${SEQUENCE}; MAJORITY needs ${LIFECYCLE_MAJORITY}"
  (($(approved_count "${readiness}") == ${#REGION_KEYS[@]})) ||
    log "committing with a majority; the others approve later with the same version and sequence"
}

# commit_definition <region...>: commits with the endorsements of those regions' peers (a majority).
commit_definition() {
  local key
  set_peer_env "$1"
  orderer_args "$1"
  PEER_ARGS=()
  for key in "$@"; do
    load_region "${key}"
    PEER_ARGS+=(--peerAddresses "localhost:${PEER_PORT}" --tlsRootCertFiles "${ORG_TLS_CA}")
  done
  set_peer_env "$1"
  run peer lifecycle chaincode commit "${ORDERER_ARGS[@]}" --channelID "${CHANNEL_NAME}" --name "${DEF_NAME}" \
    --version "${CC_VERSION}" --sequence "${SEQUENCE}" --signature-policy "${DEF_POLICY}" "${PEER_ARGS[@]}"
  for key in "$@"; do
    set_peer_env "${key}"
    retry 5 run peer lifecycle chaincode querycommitted --channelID "${CHANNEL_NAME}" --name "${DEF_NAME}" ||
      die "${PEER_HOST} does not see the committed definition"
  done
}

# The chaincode needs no Init (no --init-required). CC_INIT_FUNCTION names an optional first transaction.
maybe_init() {
  if [[ -z "${CC_INIT_FUNCTION}" ]]; then
    log "no initial transaction requested (set CC_INIT_FUNCTION to call one)"
    return 0
  fi
  # in the deploying region's own namespace (approval-<region>), whose policy its peer alone satisfies
  orderer_args "${DEPLOY_PEER:-beijing}"
  set_peer_env "${DEPLOY_PEER:-beijing}"
  PEER_ARGS=(--peerAddresses "localhost:${PEER_PORT}" --tlsRootCertFiles "${ORG_TLS_CA}")
  retry 5 run peer chaincode invoke "${ORDERER_ARGS[@]}" -C "${CHANNEL_NAME}" -n "approval-${DEPLOY_PEER:-beijing}" \
    "${PEER_ARGS[@]}" --waitForEvent -c "{\"function\":\"${CC_INIT_FUNCTION}\",\"Args\":[]}" ||
    die "the initial transaction ${CC_INIT_FUNCTION} failed"
}

# ----------------------------------------------------------------------------------------------------------
# enroll
# ----------------------------------------------------------------------------------------------------------
validate_identity_args() {
  local user="$1" role="$2" dept="$3"
  [[ "${user}" =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ ]] ||
    die "user name '${user}' must be 1-64 letters, digits, '.', '_' or '-'"
  [[ " ${ROLES} " == *" ${role} "* ]] || die "role '${role}' must be one of: ${ROLES}"
  if [[ -n "${dept}" ]]; then
    [[ " ${DEPARTMENTS} " == *" ${dept} "* ]] || die "department '${dept}' must be one of: ${DEPARTMENTS}"
  elif [[ "${role}" == approver ]]; then
    die "an approver needs a department (${DEPARTMENTS})"
  fi
}

cmd_enroll() {
  (($# >= 3 && $# <= 4)) || die "usage: ./network.sh enroll <org> <user> <role> [dept]"
  load_region "$1"
  local user="$2" role="${3,,}" dept="${4:-}"
  dept="${dept^^}"
  validate_identity_args "${user}" "${role}" "${dept}"
  require_bins fabric-ca-client jq openssl
  local root="${ORGS_DIR}/fabric-ca/${ORG_KEY}/ca-cert.pem" url="https://localhost:${CA_PORT}"
  local home="${ORGS_DIR}/fabric-ca-client/${ORG_KEY}/ledger-registrar"
  local msp="${ORG_DIR}/users/${user}@${ORG_DOMAIN}/msp"
  [[ -s "${root}" ]] || die "the CA of ${ORG_MSP} has not been started (no ${root}): run './network.sh up' first"

  if [[ ! -s "${home}/msp/signcerts/cert.pem" ]]; then
    run fabric-ca-client enroll -u "https://ledger-registrar:${LEDGER_REGISTRAR_SECRET}@localhost:${CA_PORT}" \
      --caname "${CA_NAME}" --tls.certfiles "${root}" -H "${home}"
  fi
  local attrs="${ROLE_ATTRIBUTE}=${role}:ecert" affiliation="${ORG_KEY}"
  local requests="${ROLE_ATTRIBUTE},${DEPT_ATTRIBUTE}:opt"
  if [[ -n "${dept}" ]]; then
    attrs+=",${DEPT_ATTRIBUTE}=${dept}:ecert"
    affiliation+=".${dept,,}"
    requests="${ROLE_ATTRIBUTE},${DEPT_ATTRIBUTE}"
  fi
  local secret="${ENROLL_SECRET:-$(openssl rand -hex 16)}"
  log "registering ${user} with ${CA_NAME}: ${attrs}"
  if FABRIC_CA_CLIENT_HOME="${home}" fabric-ca-client identity list --id "${user}" -u "${url}" \
    --caname "${CA_NAME}" --tls.certfiles "${root}" >/dev/null 2>&1; then
    [[ -n "${ENROLL_SECRET:-}" ]] || die "'${user}' is already registered with ${CA_NAME}: set ENROLL_SECRET to its secret to enroll it again"
    log "'${user}' is already registered; enrolling with ENROLL_SECRET"
  else
    run fabric-ca-client register -H "${home}" -u "${url}" --caname "${CA_NAME}" --tls.certfiles "${root}" \
      --id.name "${user}" --id.secret "${secret}" --id.type client --id.affiliation "${affiliation}" \
      --id.attrs "${attrs}"
  fi
  run fabric-ca-client enroll -u "https://${user}:${secret}@localhost:${CA_PORT}" --caname "${CA_NAME}" \
    --tls.certfiles "${root}" -M "${msp}" --enrollment.attrs "${requests},hf.EnrollmentID,hf.Type,hf.Affiliation"
  write_node_ous "${msp}"
  write_wallet_identity "${user}" "${msp}"
  log "enrolled ${user}@${ORG_DOMAIN} (${ORG_MSP}, ${ROLE_ATTRIBUTE}=${role}${dept:+, ${DEPT_ATTRIBUTE}=${dept}}): ${msp}"
  [[ -n "${ENROLL_SECRET:-}" ]] || log "enrollment secret (not stored; needed to enroll '${user}' again): ${secret}"
}

# A fabric-network wallet entry <wallet>/<region>/<user>.id (wallet: FABRIC_WALLET, default network/wallet), where
# the hub looks identities up by label (admin, auditor, authority, approver-<dept>) and `ledger enroll` writes too.
write_wallet_identity() {
  local user="$1" msp="$2" wallet key
  wallet="${FABRIC_WALLET:-${NETWORK_DIR}/wallet}/${ORG_KEY}"
  mkdir -p "${wallet}"
  key="$(find "${msp}/keystore" -maxdepth 1 -type f | head -n 1)"
  jq -n --arg cert "$(cat "${msp}/signcerts/cert.pem")" --arg key "$(cat "${key}")" --arg msp "${ORG_MSP}" \
    '{credentials: {certificate: ($cert + "\n"), privateKey: ($key + "\n")}, mspId: $msp, type: "X.509", version: 1}' \
    >"${wallet}/${user}.id"
  chmod 600 "${wallet}/${user}.id"
  log "wallet identity written: ${wallet}/${user}.id"
}

# ----------------------------------------------------------------------------------------------------------
# down
# ----------------------------------------------------------------------------------------------------------
cmd_down() {
  require_docker
  log "stopping the chaincode servers, peers, orderers and CAs"
  compose_ccaas --profile legacy down --remove-orphans || log "no chaincode servers were running"
  compose_network down --volumes --remove-orphans
  log "removing generated material (organizations/, channel-artifacts/, wallet/)"
  # Files written by the containers belong to root: remove them from a container.
  run docker run --rm -v "${NETWORK_DIR}:/data" busybox:1.36 \
    rm -rf /data/organizations /data/channel-artifacts /data/wallet
}

# ----------------------------------------------------------------------------------------------------------
# connection profiles (paths are relative to the profile's own directory)
# ----------------------------------------------------------------------------------------------------------
# endpoint <host> <port> <mode>: where a client reaches a node (localhost on one machine, DNS otherwise)
endpoint() {
  if [[ "$3" == dns ]]; then printf '%s:%s' "$1" "$2"; else printf 'localhost:%s' "$2"; fi
}

profile_peer_entry() {
  load_region "$1"
  local mode="$2"
  cat <<EOF
    "${PEER_HOST}": {
      "url": "grpcs://$(endpoint "${PEER_HOST}" "${PEER_PORT}" "${mode}")",
      "tlsCACerts": {
        "path": "../organizations/peerOrganizations/${ORG_DOMAIN}/tlsca/tlsca.${ORG_DOMAIN}-cert.pem"
      },
      "grpcOptions": {
        "ssl-target-name-override": "${PEER_HOST}",
        "hostnameOverride": "${PEER_HOST}"
      }
    }
EOF
}

profile_orderer_entry() {
  load_region "$1"
  local mode="$2"
  cat <<EOF
    "${ORDERER_HOST}": {
      "url": "grpcs://$(endpoint "${ORDERER_HOST}" "${ORDERER_PORT}" "${mode}")",
      "tlsCACerts": {
        "path": "../organizations/ordererOrganizations/${ORDERER_DOMAIN}/tlsca/tlsca.${ORDERER_DOMAIN}-cert.pem"
      },
      "grpcOptions": {
        "ssl-target-name-override": "${ORDERER_HOST}",
        "hostnameOverride": "${ORDERER_HOST}"
      }
    }
EOF
}

profile_org_entry() {
  load_region "$1"
  local own="$2" cas=""
  [[ "${own}" != true ]] || cas=$',\n      "certificateAuthorities": ["'"${CA_HOST}"'"]'
  cat <<EOF
    "${ORG_MSP}": {
      "mspid": "${ORG_MSP}",
      "peers": ["${PEER_HOST}"]${cas}
    }
EOF
}

profile_channel_peer() {
  load_region "$1"
  local own="$2"
  cat <<EOF
        "${PEER_HOST}": {
          "endorsingPeer": true,
          "chaincodeQuery": ${own},
          "ledgerQuery": ${own},
          "eventSource": ${own},
          "discover": true
        }
EOF
}

# join_entries <function> <mode> <own-key>: the three regions' entries, own region first, comma separated
join_entries() {
  local fn="$1" mode="$2" own="$3" key entry out="" nl=$'\n' mine
  for key in "${own}" "${REGION_KEYS[@]}"; do
    if [[ -n "${out}" && "${key}" == "${own}" ]]; then continue; fi
    if [[ "${key}" == "${own}" ]]; then mine=true; else mine=false; fi
    case "${fn}" in
      org) entry="$(profile_org_entry "${key}" "${mine}")" ;;
      channel_peer) entry="$(profile_channel_peer "${key}" "${mine}")" ;;
      peer) entry="$(profile_peer_entry "${key}" "${mode}")" ;;
      orderer) entry="$(profile_orderer_entry "${key}" "${mode}")" ;;
      *) die "join_entries: unknown entry kind '${fn}'" ;;
    esac
    out+="${out:+,${nl}}${entry}"
  done
  printf '%s\n' "${out}"
}

write_profile() {
  local key="$1" mode="$2" out="$3"
  load_region "${key}"
  local code="${ORG_CODE}" msp="${ORG_MSP}" ca_host="${CA_HOST}" ca_name="${CA_NAME}" ca_port="${CA_PORT}"
  local domain="${ORG_DOMAIN}" ca_url
  ca_url="https://$(endpoint "${ca_host}" "${ca_port}" "${mode}")"
  {
    cat <<EOF
{
  "name": "approval-ledger-${key}",
  "version": "1.0.0",
  "x-approval-ledger": {
    "region": "${code}",
    "channel": "${CHANNEL_NAME}",
    "chaincode": "$(definition_name "${LEGACY_DEFINITION}")",
    "namespaces": "${NAMESPACE_MODE}",
    "gatewayPeer": "peer0.${domain}",
    "pathsRelativeTo": "profile"
  },
  "client": {
    "organization": "${msp}",
    "connection": {
      "timeout": {
        "peer": {
          "endorser": "300"
        },
        "orderer": "300"
      }
    }
  },
  "organizations": {
EOF
    join_entries org "${mode}" "${key}"
    cat <<EOF
  },
  "channels": {
    "${CHANNEL_NAME}": {
      "orderers": [
        "orderer0.beijing.ledger.gov.cn",
        "orderer0.tianjin.ledger.gov.cn",
        "orderer0.hebei.ledger.gov.cn"
      ],
      "peers": {
EOF
    join_entries channel_peer "${mode}" "${key}"
    cat <<EOF
      }
    }
  },
  "orderers": {
EOF
    join_entries orderer "${mode}" beijing
    cat <<EOF
  },
  "peers": {
EOF
    join_entries peer "${mode}" "${key}"
    cat <<EOF
  },
  "certificateAuthorities": {
    "${ca_host}": {
      "url": "${ca_url}",
      "caName": "${ca_name}",
      "tlsCACerts": {
        "path": "../organizations/peerOrganizations/${domain}/ca/ca.${domain}-cert.pem"
      },
      "httpOptions": {
        "verify": true
      }
    }
  }
}
EOF
  } >"${out}"
}

write_profiles() {
  local dir="$1" mode="$2" key
  mkdir -p "${dir}"
  for key in "${REGION_KEYS[@]}"; do
    write_profile "${key}" "${mode}" "${dir}/connection-${key}.json"
    log "wrote ${dir}/connection-${key}.json (${mode})"
  done
}

cmd_profiles() {
  local mode=localhost dir="${PROFILES_DIR}"
  while (($#)); do
    case "$1" in
      --dns) mode=dns ;;
      --out)
        (($# >= 2)) || die "profiles: --out needs a directory"
        dir="$2"
        shift
        ;;
      *) die "profiles: unknown option '$1' (use --dns, --out DIR)" ;;
    esac
    shift
  done
  write_profiles "${dir}" "${mode}"
}

# ----------------------------------------------------------------------------------------------------------
# describe: the topology as JSON (read by network/test/network-static.test.ts)
# ----------------------------------------------------------------------------------------------------------
# describe_definition <separator> <name=policy> [deployed]: a definition with its own package and servers.
describe_definition() {
  local name
  name="$(definition_name "$2")"
  printf '%s{"name": "%s", "signaturePolicy": "%s", "packageLabel": "%s", "ccaasAddress": "%s", "packageIdVariable": "%s"%s}' \
    "$1" "${name}" "$(definition_policy "$2")" "$(package_label "${name}")" "$(ccaas_address "${name}")" \
    "$(package_id_var "${name}")" "${3:+, \"deployed\": $3}"
}

cmd_describe() {
  local key definition sep=""
  printf '{\n  "channel": "%s",\n  "channelProfile": "%s",\n  "chaincode": "%s",\n' \
    "${CHANNEL_NAME}" "${CHANNEL_PROFILE}" "${CHAINCODE_NAME}"
  printf '  "definitions": ['
  for definition in "${CHAINCODE_DEFINITIONS[@]}"; do
    describe_definition "${sep}" "${definition}"
    sep=", "
  done
  sep=""
  printf '],\n  "legacyDefinition": '
  describe_definition "" "${LEGACY_DEFINITION}" "${LEGACY_DEPLOYED}"
  printf ',\n'
  printf '  "namespaceMode": "%s",\n' "${NAMESPACE_MODE}"
  printf '  "ccaasPort": %s,\n' "${CCAAS_PORT}"
  printf '  "composeProject": "%s",\n  "ccaasProject": "%s",\n' "${COMPOSE_PROJECT}" "${CCAAS_PROJECT}"
  printf '  "roleAttribute": "%s",\n  "deptAttribute": "%s",\n' "${ROLE_ATTRIBUTE}" "${DEPT_ATTRIBUTE}"
  printf '  "roles": ["%s"],\n  "departments": ["%s"],\n' "${ROLES// /\", \"}" "${DEPARTMENTS// /\", \"}"
  printf '  "ordererOrg": {"msp": "%s", "domain": "%s", "ca": {"host": "%s", "name": "%s", "port": %s, "operationsPort": %s}},\n' \
    "${ORDERER_MSP}" "${ORDERER_DOMAIN}" "${ORDERER_CA_HOST}" "${ORDERER_CA_NAME}" "${ORDERER_CA_PORT}" "${ORDERER_CA_OPS_PORT}"
  printf '  "regions": [\n'
  for key in "${REGION_KEYS[@]}"; do
    load_region "${key}"
    printf '%s    {"key": "%s", "code": "%s", "msp": "%s", "domain": "%s",\n' "${sep}" "${ORG_KEY}" "${ORG_CODE}" "${ORG_MSP}" "${ORG_DOMAIN}"
    printf '     "peer": {"host": "%s", "name": "%s", "port": %s, "chaincodePort": %s, "operationsPort": %s},\n' \
      "${PEER_HOST}" "${PEER_NAME}" "${PEER_PORT}" "${PEER_CC_PORT}" "${PEER_OPS_PORT}"
    printf '     "orderer": {"host": "%s", "port": %s, "adminPort": %s, "operationsPort": %s},\n' \
      "${ORDERER_HOST}" "${ORDERER_PORT}" "${ORDERER_ADMIN_PORT}" "${ORDERER_OPS_PORT}"
    printf '     "ca": {"host": "%s", "name": "%s", "port": %s, "operationsPort": %s}}' \
      "${CA_HOST}" "${CA_NAME}" "${CA_PORT}" "${CA_OPS_PORT}"
    sep=$',\n'
  done
  printf '\n  ]\n}\n'
}

usage() {
  sed -n '3,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

main() {
  COMMAND="${1:-help}"
  (($# == 0)) || shift
  case "${COMMAND}" in
    up) cmd_up "$@" ;;
    channel) cmd_channel "$@" ;;
    deploy) cmd_deploy "$@" ;;
    enroll) cmd_enroll "$@" ;;
    down) cmd_down "$@" ;;
    profiles) cmd_profiles "$@" ;;
    describe) cmd_describe "$@" ;;
    help | -h | --help) usage ;;
    *)
      usage >&2
      die "unknown command '${COMMAND}'"
      ;;
  esac
}

# Run as a script; sourced (by network/test), it only defines the functions.
if [[ "${BASH_SOURCE[0]}" == "${0}" ]]; then
  main "$@"
fi

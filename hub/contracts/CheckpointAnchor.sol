// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title CheckpointAnchor
/// @notice Public anchor of approval-ledger transparency-log checkpoints (C2SP tlog-checkpoint). For each log
/// origin it keeps the largest tree size anchored and its root, and refuses a size that is not larger: an
/// anchored history can only be extended, never replaced. Only the deployer (the hub's anchoring key) writes.
contract CheckpointAnchor {
    address public immutable owner;

    /// keccak256(origin) => the last anchored tree size and root hash (SHA-256, RFC 6962)
    mapping(bytes32 => uint64) public latestSize;
    mapping(bytes32 => bytes32) public latestRoot;

    /// One anchored checkpoint: the origin line, tree size and root of the checkpoint, SHA-256 of the whole
    /// cosigned note (checkpoint text, log signature and witness cosignatures) and how many cosignatures it had.
    event Anchored(
        bytes32 indexed originHash,
        uint64 indexed size,
        bytes32 rootHash,
        bytes32 noteHash,
        uint8 cosigners,
        string origin
    );

    error NotOwner(address sender);
    error SizeNotIncreasing(bytes32 originHash, uint64 lastSize, uint64 size);

    constructor() {
        owner = msg.sender;
    }

    function anchor(
        string calldata origin,
        uint64 size,
        bytes32 rootHash,
        bytes32 noteHash,
        uint8 cosigners
    ) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        bytes32 originHash = keccak256(bytes(origin));
        uint64 last = latestSize[originHash];
        if (size <= last) revert SizeNotIncreasing(originHash, last, size);
        latestSize[originHash] = size;
        latestRoot[originHash] = rootHash;
        emit Anchored(originHash, size, rootHash, noteHash, cosigners, origin);
    }
}

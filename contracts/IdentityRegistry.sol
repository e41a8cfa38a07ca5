// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

interface IERC721Receiver {
    function onERC721Received(address operator, address from, uint256 tokenId, bytes calldata data)
        external
        returns (bytes4);
}

/// @title IdentityRegistry — an ERC-8004 identity registry for the local devnet.
/// @notice Same external ABI as the deployed ERC-8004 IdentityRegistry (v2): agents are ERC-721 tokens whose
/// tokenURI is the agent's registration document. Not upgradeable; written without libraries so the devnet
/// compiles offline from this one file.
contract IdentityRegistry {
    struct MetadataEntry {
        string metadataKey;
        bytes metadataValue;
    }

    string public constant name = "AgentIdentity";
    string public constant symbol = "AGENT";

    bytes32 private constant EIP712_DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant AGENT_WALLET_SET_TYPEHASH =
        keccak256("AgentWalletSet(uint256 agentId,address newWallet,address owner,uint256 deadline)");
    string private constant DOMAIN_NAME = "ERC8004IdentityRegistry";
    string private constant DOMAIN_VERSION = "1";
    bytes4 private constant ERC1271_MAGIC_VALUE = 0x1626ba7e;
    uint256 private constant MAX_DEADLINE_DELAY = 5 minutes;
    bytes32 private constant AGENT_WALLET_KEY_HASH = keccak256("agentWallet");
    uint256 private constant HALF_CURVE_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    address public owner;
    uint256 private _lastId;
    mapping(uint256 => address) private _owners;
    mapping(address => uint256) private _balances;
    mapping(uint256 => address) private _tokenApprovals;
    mapping(address => mapping(address => bool)) private _operatorApprovals;
    mapping(uint256 => string) private _tokenURIs;
    mapping(uint256 => mapping(string => bytes)) private _metadata;
    mapping(uint256 => address) private _agentWallets;

    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);
    event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId);
    event ApprovalForAll(address indexed owner, address indexed operator, bool approved);
    event Registered(uint256 indexed agentId, string agentURI, address indexed owner);
    event MetadataSet(
        uint256 indexed agentId, string indexed indexedMetadataKey, string metadataKey, bytes metadataValue
    );
    event URIUpdated(uint256 indexed agentId, string newURI, address indexed updatedBy);

    constructor() {
        owner = msg.sender;
    }

    function getVersion() external pure returns (string memory) {
        return "2.0.0";
    }

    // ---------------------------------------------------------------- registration

    function register() external returns (uint256 agentId) {
        agentId = _register("");
    }

    function register(string memory agentURI) external returns (uint256 agentId) {
        agentId = _register(agentURI);
    }

    function register(string memory agentURI, MetadataEntry[] memory metadata) external returns (uint256 agentId) {
        agentId = _lastId;
        for (uint256 i; i < metadata.length; i++) {
            require(keccak256(bytes(metadata[i].metadataKey)) != AGENT_WALLET_KEY_HASH, "reserved key");
            _metadata[agentId][metadata[i].metadataKey] = metadata[i].metadataValue;
            emit MetadataSet(agentId, metadata[i].metadataKey, metadata[i].metadataKey, metadata[i].metadataValue);
        }
        _register(agentURI);
    }

    function tokenURI(uint256 agentId) external view returns (string memory) {
        _requireOwned(agentId);
        return _tokenURIs[agentId];
    }

    function setAgentURI(uint256 agentId, string calldata newURI) external {
        _requireAuthorized(agentId);
        _tokenURIs[agentId] = newURI;
        emit URIUpdated(agentId, newURI, msg.sender);
    }

    // ---------------------------------------------------------------- metadata

    function getMetadata(uint256 agentId, string memory metadataKey) external view returns (bytes memory) {
        return _metadata[agentId][metadataKey];
    }

    function setMetadata(uint256 agentId, string memory metadataKey, bytes memory metadataValue) external {
        _requireAuthorized(agentId);
        require(keccak256(bytes(metadataKey)) != AGENT_WALLET_KEY_HASH, "reserved key");
        _metadata[agentId][metadataKey] = metadataValue;
        emit MetadataSet(agentId, metadataKey, metadataKey, metadataValue);
    }

    // ---------------------------------------------------------------- agent wallet

    function getAgentWallet(uint256 agentId) external view returns (address) {
        _requireOwned(agentId);
        return _agentWallets[agentId];
    }

    /// @notice Points the agent at a wallet that proved control by signing AgentWalletSet (EIP-712).
    function setAgentWallet(uint256 agentId, address newWallet, uint256 deadline, bytes calldata signature) external {
        require(newWallet != address(0), "bad wallet");
        require(block.timestamp <= deadline, "expired");
        require(deadline <= block.timestamp + MAX_DEADLINE_DELAY, "deadline too far");
        address agentOwner = _requireAuthorized(agentId);

        bytes32 structHash = keccak256(abi.encode(AGENT_WALLET_SET_TYPEHASH, agentId, newWallet, agentOwner, deadline));
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", DOMAIN_SEPARATOR(), structHash));
        if (newWallet.code.length == 0) {
            require(_recover(digest, signature) == newWallet, "invalid wallet sig");
        } else {
            (bool ok, bytes memory result) =
                newWallet.staticcall(abi.encodeWithSelector(ERC1271_MAGIC_VALUE, digest, signature));
            require(
                ok && result.length >= 32 && abi.decode(result, (bytes4)) == ERC1271_MAGIC_VALUE, "invalid wallet sig"
            );
        }
        _setAgentWallet(agentId, newWallet);
    }

    function unsetAgentWallet(uint256 agentId) external {
        _requireAuthorized(agentId);
        _setAgentWallet(agentId, address(0));
    }

    function isAuthorizedOrOwner(address spender, uint256 agentId) external view returns (bool) {
        address agentOwner = _requireOwned(agentId);
        return _isAuthorized(agentOwner, spender, agentId);
    }

    // ---------------------------------------------------------------- EIP-712

    function DOMAIN_SEPARATOR() public view returns (bytes32) {
        return keccak256(
            abi.encode(
                EIP712_DOMAIN_TYPEHASH,
                keccak256(bytes(DOMAIN_NAME)),
                keccak256(bytes(DOMAIN_VERSION)),
                block.chainid,
                address(this)
            )
        );
    }

    /// @notice EIP-5267 description of the signing domain.
    function eip712Domain()
        external
        view
        returns (
            bytes1 fields,
            string memory domainName,
            string memory domainVersion,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        )
    {
        return (hex"0f", DOMAIN_NAME, DOMAIN_VERSION, block.chainid, address(this), bytes32(0), new uint256[](0));
    }

    // ---------------------------------------------------------------- ERC-721

    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == 0x01ffc9a7 // ERC-165
            || interfaceId == 0x80ac58cd // ERC-721
            || interfaceId == 0x5b5e139f; // ERC-721 metadata
    }

    function balanceOf(address holder) external view returns (uint256) {
        require(holder != address(0), "ERC721: invalid owner");
        return _balances[holder];
    }

    function ownerOf(uint256 agentId) external view returns (address) {
        return _requireOwned(agentId);
    }

    function approve(address to, uint256 agentId) external {
        address agentOwner = _requireOwned(agentId);
        require(msg.sender == agentOwner || _operatorApprovals[agentOwner][msg.sender], "ERC721: invalid approver");
        _tokenApprovals[agentId] = to;
        emit Approval(agentOwner, to, agentId);
    }

    function getApproved(uint256 agentId) external view returns (address) {
        _requireOwned(agentId);
        return _tokenApprovals[agentId];
    }

    function setApprovalForAll(address operator, bool approved) external {
        require(operator != address(0), "ERC721: invalid operator");
        _operatorApprovals[msg.sender][operator] = approved;
        emit ApprovalForAll(msg.sender, operator, approved);
    }

    function isApprovedForAll(address holder, address operator) external view returns (bool) {
        return _operatorApprovals[holder][operator];
    }

    function transferFrom(address from, address to, uint256 agentId) public {
        require(to != address(0), "ERC721: invalid receiver");
        address agentOwner = _requireOwned(agentId);
        require(agentOwner == from, "ERC721: incorrect owner");
        require(_isAuthorized(agentOwner, msg.sender, agentId), "ERC721: insufficient approval");
        delete _tokenApprovals[agentId];
        unchecked {
            _balances[from] -= 1;
            _balances[to] += 1;
        }
        _owners[agentId] = to;
        emit Transfer(from, to, agentId);
        // A verified wallet belongs to the old owner's arrangement; a new owner proves their own.
        if (from != to) _setAgentWallet(agentId, address(0));
    }

    function safeTransferFrom(address from, address to, uint256 agentId) external {
        safeTransferFrom(from, to, agentId, "");
    }

    function safeTransferFrom(address from, address to, uint256 agentId, bytes memory data) public {
        transferFrom(from, to, agentId);
        _checkOnERC721Received(from, to, agentId, data);
    }

    // ---------------------------------------------------------------- internals

    function _register(string memory agentURI) private returns (uint256 agentId) {
        agentId = _lastId++;
        _owners[agentId] = msg.sender;
        unchecked {
            _balances[msg.sender] += 1;
        }
        _tokenURIs[agentId] = agentURI;
        emit Transfer(address(0), msg.sender, agentId);
        emit Registered(agentId, agentURI, msg.sender);
        _setAgentWallet(agentId, msg.sender);
        _checkOnERC721Received(address(0), msg.sender, agentId, "");
    }

    function _setAgentWallet(uint256 agentId, address wallet) private {
        _agentWallets[agentId] = wallet;
        bytes memory value = wallet == address(0) ? bytes("") : abi.encodePacked(wallet);
        _metadata[agentId]["agentWallet"] = value;
        emit MetadataSet(agentId, "agentWallet", "agentWallet", value);
    }

    function _requireOwned(uint256 agentId) private view returns (address agentOwner) {
        agentOwner = _owners[agentId];
        require(agentOwner != address(0), "ERC721: nonexistent token");
    }

    function _requireAuthorized(uint256 agentId) private view returns (address agentOwner) {
        agentOwner = _requireOwned(agentId);
        require(_isAuthorized(agentOwner, msg.sender, agentId), "Not authorized");
    }

    function _isAuthorized(address agentOwner, address spender, uint256 agentId) private view returns (bool) {
        return spender == agentOwner || _operatorApprovals[agentOwner][spender] || _tokenApprovals[agentId] == spender;
    }

    function _checkOnERC721Received(address from, address to, uint256 agentId, bytes memory data) private {
        if (to.code.length == 0) return;
        try IERC721Receiver(to).onERC721Received(msg.sender, from, agentId, data) returns (bytes4 selector) {
            require(selector == IERC721Receiver.onERC721Received.selector, "ERC721: invalid receiver");
        } catch {
            revert("ERC721: invalid receiver");
        }
    }

    function _recover(bytes32 digest, bytes memory signature) private pure returns (address) {
        if (signature.length != 65) return address(0);
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly {
            r := mload(add(signature, 0x20))
            s := mload(add(signature, 0x40))
            v := byte(0, mload(add(signature, 0x60)))
        }
        if (v < 27) v += 27;
        if (v != 27 && v != 28) return address(0);
        if (uint256(s) > HALF_CURVE_ORDER) return address(0);
        return ecrecover(digest, v, r, s);
    }
}

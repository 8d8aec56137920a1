/**
 * What each check of the verification core (protocol/src/verify) establishes, in both languages. The core's
 * `detail` is English technical text with the values it compared; the explorer leads with these labels and shows
 * that text only as a technical detail. A check the table does not know is shown by its name.
 */
import { type Language } from './shanghai-time';

type Label = Readonly<Record<Language, string>>;

const LABELS: Readonly<Record<string, Label>> = {
  'bundle.format': { zh: '证明包格式可识别', en: 'the proof bundle format is known' },
  'bundle.structure': { zh: '证明包结构完整', en: 'the proof bundle is complete' },
  'bundle.suite': {
    zh: '证明包所用的密码套件可接受',
    en: 'the crypto suite the bundle uses is accepted',
  },
  'genesis.suite': {
    zh: '创世区块指定了同一密码套件',
    en: 'the genesis block names the same crypto suite',
  },
  'genesis.config': { zh: '通道配置规范且与其标识一致', en: 'the channel configuration matches its id' },
  'genesis.header': { zh: '创世区块头包含该配置', en: 'the genesis block holds that configuration' },
  'genesis.signature': {
    zh: '创世区块由配置的排序节点签名',
    en: 'the genesis block is signed by the orderer',
  },
  'genesis.certificates': {
    zh: '各组织的根证书来自创世区块',
    en: "the organisations' CAs come from the genesis block",
  },
  'genesis.orderer': {
    zh: '排序节点证书来自创世区块',
    en: "the orderer's certificate comes from the genesis block",
  },
  'checkpoint.format': { zh: '检查点格式可识别', en: 'the checkpoint is well formed' },
  'checkpoint.suite': {
    zh: '透明日志的密码套件可接受且与证明包其他部分一致',
    en: "the transparency log's crypto suite is accepted and matches the rest of the bundle",
  },
  'checkpoint.signature': {
    zh: '检查点由已固定的日志密钥签名',
    en: 'the checkpoint is signed by the pinned log key',
  },
  'checkpoint.witnesses': {
    zh: '检查点由足够数量的已固定见证方联署',
    en: 'a quorum of pinned witnesses cosigned the checkpoint',
  },
  'checkpoint.inclusion': { zh: '区块包含在检查点中', en: 'the block is in the checkpoint' },
  'status.commitment': { zh: '检查点承诺了撤销状态树', en: 'the checkpoint commits to a status tree' },
  'status.proof': { zh: '撤销状态证明成立', en: 'the status proof holds' },
  'anchor.note': {
    zh: '已锚定的检查点由已固定的日志密钥签名',
    en: 'the anchored checkpoint is signed by the pinned log key',
  },
  'anchor.inclusion': {
    zh: '记录所在区块包含在已锚定的检查点中',
    en: "the record's block is in the anchored checkpoint",
  },
  'anchor.consistency': {
    zh: '当前检查点是已锚定检查点的延续',
    en: 'the checkpoint extends the anchored checkpoint',
  },
  'anchor.checkpoint': { zh: '锚定引用指向该检查点', en: 'the anchor names that checkpoint' },
  'anchor.chain': { zh: '公链 ID 一致', en: 'the chain id matches' },
  'anchor.transaction': { zh: '锚定交易存在且成功', en: 'the anchoring transaction exists and succeeded' },
  'anchor.block': { zh: '锚定交易所在区块为链上规范区块', en: "the transaction's block is the chain's" },
  'anchor.event': {
    zh: '合约事件记录了该检查点及其签名文本哈希',
    en: 'the contract event records that checkpoint and note hash',
  },
  'anchor.confirmations': { zh: '锚定交易已获确认', en: 'the anchoring transaction is confirmed' },
  'trust.cas': { zh: '信任的组织根证书', en: 'trusted organisation CAs' },
  'trust.genesis': { zh: '与固定的创世区块一致', en: 'matches the pinned genesis block' },
  'chain.links': { zh: '区块按哈希逐一相连', en: 'the blocks are chained by hash' },
  'chain.signatures': { zh: '每个区块都有排序节点签名', en: 'every block is signed by the orderer' },
  'query.match': { zh: '查询的文件或哈希与记录一致', en: 'the queried file or hash matches the record' },
  'record.anchor': { zh: '记录的承诺值已上链', en: "the record's commitment is on the ledger" },
  'record.region': { zh: '记录由其所属地区背书', en: 'the record is endorsed by its own region' },
  'record.written': {
    zh: '链码在该交易中写入了记录',
    en: 'the chaincode wrote the record in this transaction',
  },
  'record.opening': { zh: '记录与盐值还原出该承诺值', en: 'the record and salt open the commitment' },
  'record.suite': {
    zh: '承诺值的密码套件可接受且与账本一致',
    en: "the commitment's crypto suite is accepted and matches the ledger",
  },
  'revocation.record': { zh: '吊销记录', en: 'the revocation record' },
  'block.headerHash': { zh: '区块头哈希', en: 'block header hash' },
  'block.previousLink': { zh: '与前一区块相连', en: 'link to the previous block' },
  'block.dataHash': { zh: '区块数据哈希', en: 'block data hash' },
  'block.ordererSignature': { zh: '排序节点签名', en: "the orderer's signature" },
  'block.commitHash': { zh: '提交哈希', en: 'commit hash' },
};

/** The parts of a transaction proof, for the record's transaction and for a revocation's. */
const TRANSACTION_PARTS: Readonly<Record<string, Label>> = {
  envelope: { zh: '交易信封完整', en: 'the transaction envelope is intact' },
  id: { zh: '交易标识可复算', en: 'the transaction id re-computes' },
  creator: { zh: '提交者签名有效', en: "the submitter's signature is valid" },
  endorsement: { zh: '背书签名有效', en: 'an endorsement signature is valid' },
  endorsements: { zh: '背书签名均有效', en: 'the endorsement signatures are valid' },
  policy: { zh: '满足背书策略', en: 'the endorsement policy is satisfied' },
  inclusion: { zh: '交易包含在区块中', en: 'the transaction is in the block' },
  response: { zh: '链码响应与记录一致', en: "the chaincode's response matches" },
  validation: { zh: '提交节点判定交易有效', en: 'the committing peer marked it valid' },
};

const SUBJECTS: Readonly<Record<string, Label>> = {
  transaction: { zh: '交易', en: 'transaction' },
  revocation: { zh: '吊销交易', en: 'revocation' },
};

export function checkLabel(name: string, language: Language): string {
  const known = LABELS[name];
  if (known) return known[language];
  const [subject, part] = name.split('.', 2) as [string, string | undefined];
  const parts = part === undefined ? undefined : TRANSACTION_PARTS[part];
  const who = SUBJECTS[subject];
  if (parts && who) return language === 'zh' ? `${who.zh}：${parts.zh}` : `${who.en}: ${parts.en}`;
  return name;
}

/**
 * The formal documents as PDF, made on the phone (offline too): 现场检查笔录 (on-site record) and 检查结果告知书
 * (result notice), in the city's format, with a subset of the CJK font (public/fonts/doc-cjk.ttf) embedded.
 * Loaded only where documents are made (dynamic import): pdf-lib and fontkit never reach the first screen.
 * STUB: the contract only.
 */

export interface DocSignature {
  /** who signs, as printed under the signature: 执法人员 / 企业负责人 */
  role: 'inspector' | 'enterprise';
  name: string;
  /** the PNG of the handwritten signature */
  png: Uint8Array;
}

export interface DocInput {
  kind: 'onsite_record' | 'result_notice';
  /** the document's number (文书编号), e.g. the entry id */
  number: string;
  agency: { name: string };
  enterprise: { name: string; uscc: string; address?: string; legalRep?: string };
  /** 检查时间 (Asia/Shanghai, as shown) */
  startedAt: string;
  endedAt?: string;
  /** 现场 / 非现场 / 书面 */
  method: 'onsite' | 'offsite' | 'written';
  /** what the inspection is: planned (and which), or triggered by */
  kindText: string;
  team: { name: string; certificateNumber: string }[];
  items: { name: string; legalBasis: string }[];
  /** off-site: the data sources checked */
  sources?: string[];
  checklist: { item: string; ok: boolean; note?: string }[];
  findings: { item: string; description: string; violationCode?: string; suggestion?: string }[];
  outcome: 'no_problem' | 'rectify' | 'case_filed';
  rectifyBy?: string;
  /** the result notice's text as given to the enterprise */
  notice?: string;
  /** 救济途径: the rights to appeal (administrative reconsideration, litigation) and the hotline */
  appeal: string;
  photos: { bytes: Uint8Array; type: 'image/jpeg' | 'image/png'; caption: string }[];
  signatures: DocSignature[];
  enterpriseDeclined?: boolean;
  /** printed in the footer: the platform, the time made */
  footer: string;
}

/** The PDF bytes of one document. */
export async function makeDocumentPdf(_input: DocInput): Promise<Uint8Array> {
  throw new Error('not implemented');
}

/** UI strings of the administration navigation and the audit trail, Chinese first (merged into dict.ts; `en` has exactly the keys of `zh`). */
export const zh = {
  'adminNav.label': '管理',
  'adminNav.home': '首页',
  'adminNav.accounts': '账户',
  'adminNav.enterprises': '企业名录',
  'adminNav.certificates': '执法证件',
  'adminNav.policy': '全市政策',
  'adminNav.audit': '操作日志',
  'adminNav.staff': '执法人员',
  'adminNav.catalogue': '事项清单',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'adminNav.label': 'Administration',
  'adminNav.home': 'Home',
  'adminNav.accounts': 'Accounts',
  'adminNav.enterprises': 'Enterprises',
  'adminNav.certificates': 'Certificates',
  'adminNav.policy': 'City policy',
  'adminNav.audit': 'Audit trail',
  'adminNav.staff': 'Inspectors',
  'adminNav.catalogue': 'Catalogue',
};

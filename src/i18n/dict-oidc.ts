/**
 * UI strings of the sign-in through the province's unified sign-in (OpenID Connect), Chinese first; `en` has
 * exactly the keys of `zh`. The sign-in page reads them (a few hundred bytes: it is the first screen). One
 * message per refusal code of the callback (src/protocol/oidc.ts OidcErrorCode).
 */
import type { OidcErrorCode } from '../protocol/oidc';

export const zh = {
  'oidc.or': '或',
  'oidc.finishing': '正在完成统一身份认证登录…',
  'oidc.error.provider_unavailable': '暂时无法连接省统一身份认证平台，请稍后再试，或使用用户名和密码登录。',
  'oidc.error.denied': '统一身份认证登录已取消或未获授权。',
  'oidc.error.expired': '统一身份认证登录已超时或无效，请重新点击按钮登录。',
  'oidc.error.invalid_response': '统一身份认证平台的应答未通过校验，请重新登录；如仍失败，请联系司法局。',
  'oidc.error.no_uscc': '您的统一身份认证账号没有有效的统一社会信用代码。只有企业可以这样登录。',
  'oidc.error.unknown_enterprise': '您的统一社会信用代码不在本市企业名录中，请联系司法局。',
  'oidc.error.deregistered': '该企业已注销，不能登录。',
  'oidc.error.mismatch': '您的统一身份认证账号已绑定另一家企业，与本次提供的统一社会信用代码不符，已拒绝登录。请联系司法局。',
  'oidc.error.disabled': '该企业账户已停用，请联系司法局。',
  'oidc.error.password_change': '管理员已为该账户重置密码：请先用一次性密码登录并设置新密码。',
  'oidc.error.not_enterprise': '只有企业账户可以使用统一身份认证登录。',
  'oidc.error.busy': '登录请求过多，请稍后再试。',
  'oidc.error.session': '统一身份认证登录未能建立会话，请重新登录。',
} satisfies Record<`oidc.error.${OidcErrorCode}` | 'oidc.or' | 'oidc.finishing' | 'oidc.error.session', string>;

export const en: Record<keyof typeof zh, string> = {
  'oidc.or': 'or',
  'oidc.finishing': 'Finishing the sign-in through the unified sign-in…',
  'oidc.error.provider_unavailable':
    "The province's unified sign-in cannot be reached at the moment: try again shortly, or sign in with your user name and password.",
  'oidc.error.denied': 'The unified sign-in was cancelled or not authorised.',
  'oidc.error.expired': 'The unified sign-in timed out or is no longer valid: click the button to sign in again.',
  'oidc.error.invalid_response': "The unified sign-in's answer failed its checks: sign in again; if it fails again, contact the justice bureau.",
  'oidc.error.no_uscc': 'Your unified sign-in identity carries no valid unified social credit code. Only enterprises sign in this way.',
  'oidc.error.unknown_enterprise': "Your unified social credit code is not in the city's enterprise directory: contact the justice bureau.",
  'oidc.error.deregistered': 'This enterprise is deregistered and cannot sign in.',
  'oidc.error.mismatch':
    'Your unified sign-in identity is linked to another enterprise than the credit code it gave this time: sign-in refused. Contact the justice bureau.',
  'oidc.error.disabled': "This enterprise's account is disabled: contact the justice bureau.",
  'oidc.error.password_change': 'An administrator reset this account’s password: sign in with the one-time password and set a new one first.',
  'oidc.error.not_enterprise': 'Only enterprise accounts sign in through the unified sign-in.',
  'oidc.error.busy': 'Too many sign-ins at this moment: try again shortly.',
  'oidc.error.session': 'The unified sign-in could not open a session: sign in again.',
};

export type OidcMessageKey = keyof typeof zh;

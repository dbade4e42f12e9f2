export { renderSoapFault, soapVersionOf } from './fault.ts';
export type { RenderSoapFaultOptions, RenderedSoapFault } from './fault.ts';
export { createSoapHandler } from './handler.ts';
export type { SoapRequestHandler } from './handler.ts';
export { NonceReplayCache, verifyPasswordDigest } from './security.ts';
export type { NonceReplayCacheOptions, VerifyPasswordDigestOptions, VerifyPasswordDigestResult } from './security.ts';
export type {
  SoapCreateContextOptions,
  SoapErrorCode,
  SoapErrorHookOptions,
  SoapFieldIssue,
  SoapHandlerOptions,
  SoapLimits,
  SoapOperationMeta,
  SoapProcedureMeta,
  SoapSecurity,
  SoapVersion,
} from './types.ts';
export { createWsdl, soapActionOf } from './wsdl.ts';
export type { CreateWsdlOptions } from './wsdl.ts';

export const SOAP11_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_ENV = 'http://www.w3.org/2003/05/soap-envelope';
export const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
export const XS = 'http://www.w3.org/2001/XMLSchema';
export const XML_NS = 'http://www.w3.org/XML/1998/namespace';
export const WSDL = 'http://schemas.xmlsoap.org/wsdl/';
export const WSDL_SOAP11 = 'http://schemas.xmlsoap.org/wsdl/soap/';
export const WSDL_SOAP12 = 'http://schemas.xmlsoap.org/wsdl/soap12/';
export const SOAP_HTTP_TRANSPORT = 'http://schemas.xmlsoap.org/soap/http';
export const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
export const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
export const SOAP_ROLE_NEXT_12 = 'http://www.w3.org/2003/05/soap-envelope/role/next';
export const SOAP_ROLE_ULTIMATE_12 = 'http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver';
export const SOAP_ACTOR_NEXT_11 = 'http://schemas.xmlsoap.org/soap/actor/next';

export const CONTENT_TYPE_11 = 'text/xml; charset=utf-8';
export const CONTENT_TYPE_12 = 'application/soap+xml; charset=utf-8';

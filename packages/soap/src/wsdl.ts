import type { AnyTRPCRouter } from '@trpc/server';
import { SOAP_HTTP_TRANSPORT, WSDL, WSDL_SOAP11, WSDL_SOAP12, XS } from './internal/namespaces.ts';
import { type SoapOperation, collectOperations } from './internal/operations.ts';
import { COMMON_SCHEMA_XML, type NamedTypes, namedTypesXml, wrapperElementXml } from './internal/xsd.ts';
import { escapeAttr, escapeText, isNcName } from './internal/xml-text.ts';

export interface CreateWsdlOptions {
  router: AnyTRPCRouter;
  namespace: string;
  serviceName: string;
  /** Absolute endpoint URL for both ports' `address location`. */
  address: string;
}

/**
 * SOAPAction (1.1) / action (1.2) URI of an operation: `<namespace>#<Operation>` for URNs,
 * `<namespace>/<Operation>` for http(s) namespaces.
 *
 * @example
 * soapActionOf('urn:triport:soap:v1', 'GetNote'); // 'urn:triport:soap:v1#GetNote'
 */
export function soapActionOf(namespace: string, operation: string): string {
  return /^https?:/i.test(namespace) ? `${namespace.replace(/\/$/, '')}/${operation}` : `${namespace}#${operation}`;
}

/** The XSD (one `xs:schema`) for all operations: request/response wrappers, fault detail, ApiKey header. */
export function schemaXml(operations: Iterable<SoapOperation>, namespace: string): string {
  const ns = escapeAttr(namespace);
  let xml = `<xs:schema xmlns:xs="${XS}" xmlns:tns="${ns}" targetNamespace="${ns}" elementFormDefault="qualified">`;
  const named: NamedTypes = new Map();
  for (const op of operations) {
    xml += wrapperElementXml(op.name, op.input, named);
    xml += wrapperElementXml(`${op.name}Response`, op.output, named);
  }
  return `${xml}${namedTypesXml(named)}${COMMON_SCHEMA_XML}</xs:schema>`;
}

function bindingXml(operations: SoapOperation[], serviceName: string, namespace: string, soap: 'soap' | 'soap12'): string {
  const name = `${serviceName}${soap === 'soap' ? 'Soap11' : 'Soap12'}Binding`;
  let xml = `<wsdl:binding name="${name}" type="tns:${serviceName}PortType"><${soap}:binding style="document" transport="${SOAP_HTTP_TRANSPORT}"/>`;
  for (const op of operations) {
    const action = escapeAttr(soapActionOf(namespace, op.name));
    const required = soap === 'soap12' ? ' soapActionRequired="false"' : '';
    xml +=
      `<wsdl:operation name="${op.name}"><${soap}:operation soapAction="${action}"${required} style="document"/>` +
      `<wsdl:input><${soap}:body use="literal"/></wsdl:input>` +
      `<wsdl:output><${soap}:body use="literal"/></wsdl:output>` +
      `<wsdl:fault name="Fault"><${soap}:fault name="Fault" use="literal"/></wsdl:fault></wsdl:operation>`;
  }
  return `${xml}</wsdl:binding>`;
}

/** Renders WSDL 1.1 for already-collected operations (used by the handler's per-address cache). */
export function renderWsdl(operations: SoapOperation[], options: Omit<CreateWsdlOptions, 'router'>): string {
  const { serviceName, namespace } = options;
  if (!isNcName(serviceName)) throw new Error(`serviceName '${serviceName}' is not a valid XML name`);
  const ns = escapeAttr(namespace);
  const address = escapeAttr(options.address);
  let xml =
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<wsdl:definitions name="${serviceName}" targetNamespace="${ns}" xmlns:wsdl="${WSDL}" xmlns:soap="${WSDL_SOAP11}" ` +
    `xmlns:soap12="${WSDL_SOAP12}" xmlns:xs="${XS}" xmlns:tns="${ns}">` +
    `<wsdl:types>${schemaXml(operations, namespace)}</wsdl:types>`;
  for (const op of operations) {
    xml +=
      `<wsdl:message name="${op.name}Request"><wsdl:part name="parameters" element="tns:${op.name}"/></wsdl:message>` +
      `<wsdl:message name="${op.name}Response"><wsdl:part name="parameters" element="tns:${op.name}Response"/></wsdl:message>`;
  }
  xml += '<wsdl:message name="FaultMessage"><wsdl:part name="detail" element="tns:ErrorDetail"/></wsdl:message>';
  xml += `<wsdl:portType name="${serviceName}PortType">`;
  for (const op of operations) {
    const doc = [op.summary, op.meta.access ? `Access: ${op.meta.access}.` : undefined].filter(Boolean).join(' ');
    xml +=
      `<wsdl:operation name="${op.name}">` +
      (doc ? `<wsdl:documentation>${escapeText(doc)}</wsdl:documentation>` : '') +
      `<wsdl:input message="tns:${op.name}Request"/><wsdl:output message="tns:${op.name}Response"/>` +
      '<wsdl:fault name="Fault" message="tns:FaultMessage"/></wsdl:operation>';
  }
  xml += '</wsdl:portType>';
  xml += bindingXml(operations, serviceName, namespace, 'soap');
  xml += bindingXml(operations, serviceName, namespace, 'soap12');
  xml +=
    `<wsdl:service name="${serviceName}">` +
    `<wsdl:port name="${serviceName}Soap11" binding="tns:${serviceName}Soap11Binding"><soap:address location="${address}"/></wsdl:port>` +
    `<wsdl:port name="${serviceName}Soap12" binding="tns:${serviceName}Soap12Binding"><soap12:address location="${address}"/></wsdl:port>` +
    '</wsdl:service></wsdl:definitions>';
  return xml;
}

/**
 * Generates the WSDL 1.1 document (document/literal wrapped, SOAP 1.1 and 1.2 bindings) for every
 * procedure of `router` that has `meta.soap`, with XSD types derived from its zod schemas.
 *
 * @example
 * const wsdl = createWsdl({ router, namespace: 'urn:triport:soap:v1', serviceName: 'NotesService',
 *   address: 'https://api.example.test/soap' });
 */
export function createWsdl(options: CreateWsdlOptions): string {
  return renderWsdl([...collectOperations(options.router).values()], options);
}

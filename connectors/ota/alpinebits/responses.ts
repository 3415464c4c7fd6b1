import * as xml from './xml';

export interface OtaNotice {
  /** OpenTravel EWT/ERR type: 3 = biz rule, 11 = advisory, 13 = application error… */
  type: string;
  code?: string;
  recordId?: string;
  text: string;
}

/**
 * An OpenTravel response: `Success` (possibly with `Warnings`, an advisory among them), or
 * `Errors`. Exactly one of the two must be there.
 */
export interface OtaOutcome {
  success: boolean;
  warnings: OtaNotice[];
  errors: OtaNotice[];
}

function notices(list: xml.XmlNode | undefined, name: string): OtaNotice[] {
  return xml.children(list, name).map((node) => ({
    type: xml.attr(node, 'Type') ?? '',
    ...(xml.attr(node, 'Code') ? { code: xml.attr(node, 'Code') } : {}),
    ...(xml.attr(node, 'RecordID') ? { recordId: xml.attr(node, 'RecordID') } : {}),
    text: xml.text(node) ?? '',
  }));
}

export function readOutcome(doc: xml.OtaDocument): OtaOutcome {
  if (!doc.type.endsWith('RS')) throw new xml.OtaMessageError([`${doc.type} is not a response`]);
  const success = xml.child(doc.root, 'Success') !== undefined;
  const errors = notices(xml.child(doc.root, 'Errors'), 'Error');
  if (success === errors.length > 0)
    throw new xml.OtaMessageError([`${doc.type} must carry either Success or Errors`]);
  return { success, warnings: notices(xml.child(doc.root, 'Warnings'), 'Warning'), errors };
}

/** A response with Success (and any warnings), or with the errors; `body` adds message content. */
export function buildOutcome(
  type: xml.OtaMessageType,
  outcome: { errors?: OtaNotice[]; warnings?: OtaNotice[] },
  body: xml.XmlNode = {},
  version = '7.000',
): string {
  const notice = (n: OtaNotice) => ({
    '@Type': n.type,
    ...(n.code ? { '@Code': n.code } : {}),
    ...(n.recordId ? { '@RecordID': n.recordId } : {}),
    '#text': n.text,
  });
  const errors = outcome.errors ?? [];
  return xml.buildOta(
    type,
    errors.length > 0
      ? { Errors: { Error: errors.map(notice) } }
      : {
          Success: '',
          ...(outcome.warnings?.length ? { Warnings: { Warning: outcome.warnings.map(notice) } } : {}),
          ...body,
        },
    version,
  );
}

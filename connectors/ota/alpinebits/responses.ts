import {
  attr,
  buildOta,
  child,
  children,
  OtaMessageError,
  text,
  type OtaDocument,
  type OtaMessageType,
  type XmlNode,
} from './xml';

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

function notices(list: XmlNode | undefined, name: string): OtaNotice[] {
  return children(list, name).map((node) => ({
    type: attr(node, 'Type') ?? '',
    ...(attr(node, 'Code') ? { code: attr(node, 'Code') } : {}),
    ...(attr(node, 'RecordID') ? { recordId: attr(node, 'RecordID') } : {}),
    text: text(node) ?? '',
  }));
}

export function readOutcome(doc: OtaDocument): OtaOutcome {
  if (!doc.type.endsWith('RS')) throw new OtaMessageError([`${doc.type} is not a response`]);
  const success = child(doc.root, 'Success') !== undefined;
  const errors = notices(child(doc.root, 'Errors'), 'Error');
  if (success === errors.length > 0)
    throw new OtaMessageError([`${doc.type} must carry either Success or Errors`]);
  return { success, warnings: notices(child(doc.root, 'Warnings'), 'Warning'), errors };
}

/** A response with Success (and any warnings), or with the errors; `body` adds message content. */
export function buildOutcome(
  type: OtaMessageType,
  outcome: { errors?: OtaNotice[]; warnings?: OtaNotice[] },
  body: XmlNode = {},
  version = '7.000',
): string {
  const notice = (n: OtaNotice) => ({
    '@Type': n.type,
    ...(n.code ? { '@Code': n.code } : {}),
    ...(n.recordId ? { '@RecordID': n.recordId } : {}),
    '#text': n.text,
  });
  const errors = outcome.errors ?? [];
  return buildOta(
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

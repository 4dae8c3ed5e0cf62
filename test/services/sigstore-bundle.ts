// Reads and checks a Sigstore bundle the way a verifier starts: the DSSE signature over the in-toto
// statement (PAE, DSSE v1) with the public key of the Fulcio certificate the bundle carries.
import { X509Certificate, verify } from 'node:crypto';

export interface InTotoStatement {
  _type: string;
  subject: { name: string; digest: Record<string, string> }[];
  predicateType: string;
  predicate: Record<string, any>;
}

interface BundleJson {
  mediaType: string;
  verificationMaterial: {
    certificate?: { rawBytes: string };
    x509CertificateChain?: { certificates: { rawBytes: string }[] };
    tlogEntries?: unknown[];
    timestampVerificationData?: { rfc3161Timestamps?: unknown[] };
  };
  dsseEnvelope: { payload: string; payloadType: string; signatures: { sig: string }[] };
}

/** DSSE's pre-authentication encoding: what is actually signed. */
function pae(type: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `), body]);
}

/** The bundle's signing certificate. */
export function signingCertificate(bundle: unknown): X509Certificate {
  const material = (bundle as BundleJson).verificationMaterial;
  const raw = material.certificate?.rawBytes ?? material.x509CertificateChain?.certificates[0]?.rawBytes;
  if (!raw) throw new Error('the bundle carries no certificate');
  return new X509Certificate(Buffer.from(raw, 'base64'));
}

/** The statement of a DSSE bundle, after checking its signature against the bundle's certificate; throws when it does not verify. */
export function verifiedStatement(bundle: unknown): InTotoStatement {
  const { dsseEnvelope: envelope } = bundle as BundleJson;
  const body = Buffer.from(envelope.payload, 'base64');
  const signature = Buffer.from(envelope.signatures[0]!.sig, 'base64');
  if (!verify('sha256', pae(envelope.payloadType, body), signingCertificate(bundle).publicKey, signature))
    throw new Error('the DSSE signature does not verify with the bundle certificate');
  return JSON.parse(body.toString('utf8')) as InTotoStatement;
}

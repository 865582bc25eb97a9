/** The TAXII 2.1 media type (requests' Accept and Content-Type, every response). */
export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
/** The media type of STIX 2.1 content in collections and manifests. */
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

/** `application/taxii+json` with `version=2.1` or no version (which means the latest). */
export function isTaxiiMediaType(value: string): boolean {
  const [type = '', ...parameters] = value.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/taxii+json') return false;
  const version = parameters.find((parameter) => parameter.startsWith('version='));
  return version === undefined || version === 'version=2.1';
}

/** Whether an Accept header admits TAXII 2.1 (a range with `q=0` refuses). */
export function acceptsTaxii(accept: string | null): boolean {
  if (accept === null) return false;
  return accept.split(',').some((range) => {
    const [type = ''] = range.split(';');
    const quality = /;\s*q=([0-9.]+)/.exec(range)?.[1];
    return (
      type.trim() !== '' &&
      (quality === undefined || Number(quality) > 0) &&
      isTaxiiMediaType(range.replace(/;\s*q=[0-9.]+/, ''))
    );
  });
}

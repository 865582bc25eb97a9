import { TAXII_MEDIA_TYPE } from './taxii-media-type.js';

/** An HTTP-facing TAXII failure that renders itself as a TAXII 2.1 error message. */
export class TaxiiError extends Error {
  override readonly name = 'TaxiiError';
  readonly status: number;
  readonly title: string;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    title: string,
    description: string,
    headers: Record<string, string> = {},
  ) {
    super(description);
    this.status = status;
    this.title = title;
    this.headers = headers;
  }

  toResponse(): Response {
    return new Response(
      JSON.stringify({
        title: this.title,
        description: this.message,
        http_status: String(this.status),
      }),
      { status: this.status, headers: { 'content-type': TAXII_MEDIA_TYPE, ...this.headers } },
    );
  }
}

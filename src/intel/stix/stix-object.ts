/** Any STIX 2.1 object as JSON: `type` and `id` are always present, the rest depends on the type. */
export interface StixObject {
  type: string;
  id: string;
  spec_version?: string;
  created?: string;
  modified?: string;
  [property: string]: unknown;
}

/** A STIX 2.1 bundle (`{ type: 'bundle', id, objects }`). */
export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: StixObject[];
}

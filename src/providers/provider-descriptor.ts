/** What the rest of the service may know of a provider: who it is and what it may spend. */
export interface ProviderDescriptor {
  /** one id, used in metrics labels, budget keys and logs */
  id: string;
  /** how messages name it */
  label: string;
}

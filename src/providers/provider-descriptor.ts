/** What the rest of the service may know of a provider: who it is and where its budget is counted. */
export interface ProviderDescriptor {
  /** one id, used in metrics labels and logs */
  id: string;
  /** how messages (budget refusals included) name it */
  label: string;
  /** the store keys of its call budget (per minute and per day), shared by every process */
  budgetKey: string;
}

import { deepFreeze } from '../deep-freeze.js';
import { valueStock, type StockValuationInput, type StockValuationResult } from '../domain/valuation.js';

/** stands for an absent body, which cannot be a WeakMap key */
const NO_BODY = {};
/** assumption sets remembered per triple of bodies (the saved ones, plus a few a user tries) */
const SETS_PER_BODIES = 8;

type BySetting = Map<string, StockValuationResult>;

/**
 * valueStock is pure, so the same bodies with the same assumptions give the same figures.
 * The store hands back the very same (frozen) body objects while an entry is unchanged,
 * so a warm request finds its valuations here instead of redoing 40-digit decimal work.
 * Keyed weakly by the body objects: a changed or evicted entry takes its valuations with it.
 */
export class ValuationMemo {
  private readonly byBodies = new WeakMap<object, WeakMap<object, WeakMap<object, BySetting>>>();

  valueStock(input: StockValuationInput): StockValuationResult {
    const bodies = [input.earnings ?? NO_BODY, input.overview ?? NO_BODY, input.cashFlow ?? NO_BODY];
    if (!bodies.every((body): body is object => typeof body === 'object')) return valueStock(input);
    const [earnings, overview, cashFlow] = bodies as [object, object, object];
    const settings = this.settingsFor(earnings, overview, cashFlow);
    const setting = `${input.symbol}|${JSON.stringify(input.assumptions)}`;
    let result = settings.get(setting);
    if (result === undefined) {
      result = deepFreeze(valueStock(input));
      if (settings.size >= SETS_PER_BODIES) settings.delete(settings.keys().next().value!);
      settings.set(setting, result);
    }
    return result;
  }

  private settingsFor(earnings: object, overview: object, cashFlow: object): BySetting {
    const byOverview = getOrAdd(this.byBodies, earnings, () => new WeakMap<object, WeakMap<object, BySetting>>());
    const byCashFlow = getOrAdd(byOverview, overview, () => new WeakMap<object, BySetting>());
    return getOrAdd(byCashFlow, cashFlow, () => new Map<string, StockValuationResult>());
  }
}

function getOrAdd<V>(map: WeakMap<object, V>, key: object, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

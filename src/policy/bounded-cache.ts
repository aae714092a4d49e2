// A Map that forgets everything when full: cheap, bounded, and hit rates stay high for the few
// keys a policy uses (compiled patterns, hosts, roots). Shared by the condition modules.
export class BoundedCache<K, V> {
  readonly #map = new Map<K, V>();
  constructor(private readonly max: number) {}
  get(key: K): V | undefined {
    return this.#map.get(key);
  }
  set(key: K, value: V): V {
    if (this.#map.size >= this.max) this.#map.clear();
    this.#map.set(key, value);
    return value;
  }
}

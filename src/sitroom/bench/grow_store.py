"""``python -m sitroom.bench.grow_store``: grow a store to benchmark size from a real one (the
copying is the store's own, ``sitroom.store.grow``, where its description and options are)."""

from sitroom.store.grow import main

if __name__ == "__main__":  # pragma: no cover - run by hand
    main()

from typing import Any

harfbuzz_subset: Any

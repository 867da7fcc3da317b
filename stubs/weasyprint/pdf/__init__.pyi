from typing import Any

def build_fonts_dictionary(
    pdf: Any, fonts: dict[Any, Any], compress: bool, subset: bool, options: Any
) -> Any: ...

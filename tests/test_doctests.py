"""The runnable examples in the library's docstrings (Python API, store, segmentation) stay true."""

import doctest
import importlib

import pytest

MODULES = ["wiredesk", "wiredesk.api", "wiredesk.store.duck", "wiredesk.analyze"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0

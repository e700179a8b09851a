"""Posting the Wagtail page editor as a browser would: every field the edit form renders,
with its current value, so that a test changes only what it means to change.

StreamFields are drawn by JavaScript from a JSON form state, so their POST fields are
rebuilt from that state (``<name>-count``, ``<name>-0-type``, ``<name>-0-value-<child>``…).
"""

import json

from bs4 import BeautifulSoup


def _add(data, name, value):
    data.setdefault(name, []).append(value)


def _flatten_block(data, prefix, state):
    """The POST fields of one block value, from its form state."""
    if isinstance(state, dict):  # StructBlock
        for name, child in state.items():
            _flatten_block(data, f"{prefix}-{name}", child)
    elif isinstance(state, list) and state and isinstance(state[0], dict):
        if "type" in state[0]:
            _flatten_stream(data, prefix, state)
        else:  # ListBlock: [{"value": …, "id": …}]
            _add(data, f"{prefix}-count", str(len(state)))
            for index, item in enumerate(state):
                _add(data, f"{prefix}-{index}-deleted", "")
                _add(data, f"{prefix}-{index}-order", str(index))
                _add(data, f"{prefix}-{index}-id", item.get("id") or "")
                _flatten_block(data, f"{prefix}-{index}-value", item["value"])
    elif isinstance(state, list):  # ChoiceBlock and other select widgets
        for value in state:
            _add(data, prefix, str(value))
    elif isinstance(state, bool):
        if state:
            _add(data, prefix, "on")
    elif state is not None:
        _add(data, prefix, str(state))


def _flatten_stream(data, prefix, state):
    _add(data, f"{prefix}-count", str(len(state)))
    for index, child in enumerate(state):
        _add(data, f"{prefix}-{index}-deleted", "")
        _add(data, f"{prefix}-{index}-order", str(index))
        _add(data, f"{prefix}-{index}-type", child["type"])
        _add(data, f"{prefix}-{index}-id", child.get("id") or "")
        _flatten_block(data, f"{prefix}-{index}-value", child["value"])


def form_data(html, form_id="page-edit-form"):
    """The POST data a browser would send from ``form_id``, without any submit button."""
    soup = BeautifulSoup(html, "html.parser")
    form = soup.find("form", id=form_id)
    assert form is not None, f"no form #{form_id} in the page"
    data = {}
    for element in form.find_all(["input", "textarea", "select"]):
        name = element.get("name")
        if not name or "__prefix__" in name or element.has_attr("disabled"):
            continue
        if element.name == "textarea":
            text = element.string or ""
            # Browsers drop the newline Django writes right after <textarea>.
            _add(data, name, text[1:] if text.startswith("\n") else text)
        elif element.name == "select":
            options = element.find_all("option")
            selected = [option for option in options if option.has_attr("selected")]
            if not selected and options and not element.has_attr("multiple"):
                selected = options[:1]
            for option in selected:
                _add(data, name, option.get("value", option.get_text()))
        else:
            kind = (element.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                continue
            if kind in ("checkbox", "radio") and not element.has_attr("checked"):
                continue
            _add(data, name, element.get("value", "on" if kind in ("checkbox", "radio") else ""))
    for block in form.find_all(attrs={"data-w-block-arguments-value": True}):
        state, _errors = json.loads(block["data-w-block-arguments-value"])
        _flatten_stream(data, block["id"], state)
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}


def get_form_data(client, url, form_id="page-edit-form"):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return form_data(response.content.decode(), form_id)

# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to orgcode.github, not a public API: names and behaviour may change in any release.

"""Key and type checks of a description against an argument-spec-like ``options`` dict, naming positions.

Ansible's automatic role argument validation reports a bad key or type deep in a list without its position
(``found in org_config_teams -> members``). These checks take the same spec - the ``options`` of
``roles/org_config/meta/argument_specs.yml``, or any dict of the same shape - and name the entry:
``org_config_teams[3].members[1].rol: unknown key; did you mean role? (keys: login, role)``.

What is checked, as Ansible's validation does: unknown keys (aliases are known keys), ``required`` keys,
the ``type`` of each value (``str``, ``bool``, ``int``, ``float``, ``list``, ``dict``, ``path``, ``raw``,
with Ansible's own conversions: ``"yes"`` is a bool, ``"3"`` an int, ``3`` a str; but a list or a dict is
never a str), ``elements`` of lists, ``choices``, and
nested ``options`` of dicts and of lists of dicts. A ``None`` value of an option that is not required and
has no default is accepted (``parent_team: null``). An option marked ``no_log`` never has its value in a
message. Nothing is converted or filled in: the checks only return the errors, in the order of the input.
Nothing in here sends a request or imports another file of the collection.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib

from ansible.module_utils.common.validation import (
    check_type_bool,
    check_type_dict,
    check_type_float,
    check_type_int,
    check_type_list,
    check_type_path,
    check_type_raw,
    check_type_str,
)

CHECKERS = {
    "str": check_type_str,
    "bool": check_type_bool,
    "int": check_type_int,
    "float": check_type_float,
    "list": check_type_list,
    "dict": check_type_dict,
    "path": check_type_path,
    "raw": check_type_raw,
}
VALUE_SHOWN = 60  # characters of a bad value a message shows at most


def _kind(value):
    if value is None:
        return "null"
    return {bool: "bool", int: "int", float: "float", list: "list", dict: "dict"}.get(
        type(value), "str" if isinstance(value, str) else type(value).__name__)


def _shown(value, secret):
    """``str 'maybe'``, ``list``, or only the kind of a secret value."""
    kind = _kind(value)
    if secret or isinstance(value, (list, dict)) or value is None:
        return kind + (" (value hidden)" if secret and value is not None else "")
    text = repr(value)
    if len(text) > VALUE_SHOWN:
        text = text[:VALUE_SHOWN - 3] + "..."
    return "%s %s" % (kind, text)


def _known_keys(spec_options):
    """``{key or alias: option name}``."""
    known = {}
    for name, option in spec_options.items():
        known[name] = name
        for alias in (option or {}).get("aliases") or []:
            known[alias] = name
    return known


def _unknown_key(key, known, where):
    names = sorted(set(known.values()))
    close = difflib.get_close_matches(str(key).lower(), [k.lower() for k in known], n=1, cutoff=0.6)
    hint = ""
    if close:
        match = next(k for k in known if k.lower() == close[0])
        hint = "; did you mean %s?" % match
    return "%s.%s: unknown key%s (keys: %s)" % (where, key, hint, ", ".join(names))


def _converted(value, wanted):
    """``value`` as Ansible converts it to the type ``wanted``; TypeError or ValueError when it cannot.

    Stricter than Ansible in one place: a list or a dictionary is not text (Ansible would turn it into its
    Python representation, hiding the mistake)."""
    if wanted in ("str", "path") and isinstance(value, (list, dict)):
        raise TypeError("not text")
    checker = CHECKERS.get(wanted or "str")
    if checker is None:  # a type these checks do not know: accept, as a spec error is not the user's
        return value
    return checker(value)


def check_value(value, option, where):
    """The errors of one ``value`` of the option ``option`` (a spec entry: type, elements, choices, options...),
    named after ``where`` (``org_config_teams[3].members``)."""
    option = option or {}
    errors = []
    secret = bool(option.get("no_log"))
    if value is None:
        if option.get("required"):
            errors.append("%s: is required, got null" % where)
        return errors
    wanted = option.get("type") or "str"
    if wanted == "list" and option.get("elements") == "dict" and not isinstance(value, list):
        # Ansible would split a string into a list first; a list of entries given as anything else is a mistake.
        return ["%s: must be a list, got %s" % (where, _shown(value, secret))]
    try:
        value = _converted(value, wanted)
    except (TypeError, ValueError):
        errors.append("%s: must be of type %s, got %s" % (where, wanted, _shown(value, secret)))
        return errors
    if wanted == "list":
        elements = option.get("elements")
        for index, item in enumerate(value):
            here = "%s[%d]" % (where, index)
            if elements == "dict" and option.get("options") is not None:
                errors.extend(check_options(item, option["options"], here))
            elif elements:
                errors.extend(check_value(item, dict(type=elements, no_log=secret, choices=option.get("choices")),
                                          here))
        return errors
    if wanted == "dict" and option.get("options") is not None:
        return check_options(value, option["options"], where)
    choices = option.get("choices")
    if choices is not None and value not in choices:
        allowed = ", ".join(str(choice) for choice in choices)
        errors.append("%s: must be one of %s, got %s" % (where, allowed, _shown(value, secret)))
    return errors


def check_options(value, spec_options, where):
    """The errors of ``value``, a dict checked against ``spec_options`` (``{key: option}``): unknown keys with
    a close match to suggest, missing required keys, then each value in the order of the spec."""
    if not isinstance(value, dict):
        return ["%s: must be a dictionary, got %s" % (where, _shown(value, False))]
    known = _known_keys(spec_options)
    errors = [_unknown_key(key, known, where) for key in value if key not in known]
    given = {}
    for key in value:
        if key in known:
            given.setdefault(known[key], key)
    for name, option in spec_options.items():
        option = option or {}
        if name not in given:
            if option.get("required"):
                errors.append("%s.%s: is required" % (where, name))
            continue
        key = given[name]
        errors.extend(check_value(value[key], option, "%s.%s" % (where, key)))
    return errors


def check_entries(value, spec_options, where):
    """The errors of ``value``, a list of dicts each checked against ``spec_options``, named after ``where``:
    ``check_entries(org_config_teams, options_of_teams, "org_config_teams")`` gives errors such as
    ``org_config_teams[3].members[1].rol: unknown key; did you mean role? (keys: login, role)``.
    ``None`` (an unset variable) is no error."""
    if value is None:
        return []
    if not isinstance(value, list):
        return ["%s: must be a list, got %s" % (where, _shown(value, False))]
    errors = []
    for index, entry in enumerate(value):
        errors.extend(check_options(entry, spec_options, "%s[%d]" % (where, index)))
    return errors


def check_variables(variables, spec_options):
    """The errors of the variables (``{name: value}``) that ``spec_options`` describes, each named after the
    variable; variables the spec does not describe are left to the caller (a misspelt variable name is
    another check's business)."""
    errors = []
    for name, option in spec_options.items():
        if name in variables:
            errors.extend(check_value(variables[name], option, name))
        elif (option or {}).get("required"):
            errors.append("%s: is required" % name)
    return errors

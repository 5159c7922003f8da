// Conversions between the engine's YAML value (policy::Tree) and Python objects: translator
// output and reports become dicts and lists; scenario dicts become YAML text for the loader.
#pragma once

#include <pybind11/pybind11.h>

#include <string>

#include "ctplab/policy/yaml_tree.h"

namespace ctplab::python {

namespace py = pybind11;

// Maps become dicts (keys in the emitter's sorted order), numbers int or float, null None.
py::object treeToPython(const policy::Tree& tree);

// Accepts None, bool, int, float, str, os.PathLike, datetime.timedelta (written as a Go
// duration), mappings and sequences; anything else raises TypeError naming `path`.
policy::Tree pythonToTree(py::handle value, const std::string& path);

// Parses YAML text the engine emitted (plain scalars typed as the engine's loader types them).
py::object yamlTextToPython(const std::string& text);

}  // namespace ctplab::python

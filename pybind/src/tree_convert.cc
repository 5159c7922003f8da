#include "tree_convert.h"

#include <yaml-cpp/yaml.h>

#include <cmath>

#include "ctplab/policy/yaml_reader.h"

namespace ctplab::python {
namespace {

// A plain numeric scalar as written: an int when it reads as one (of any size), else a float;
// text that is neither stays a string rather than failing the whole conversion.
py::object numberToPython(const std::string& raw) {
  if (PyObject* as_int = PyLong_FromString(raw.c_str(), nullptr, 10)) {
    return py::reinterpret_steal<py::object>(as_int);
  }
  PyErr_Clear();
  py::str text(raw);
  if (PyObject* as_float = PyFloat_FromString(text.ptr())) {
    return py::reinterpret_steal<py::object>(as_float);
  }
  PyErr_Clear();
  return text;
}

std::string goDuration(py::handle delta) {
  // Whole microseconds: the resolution timedelta has, and a unit the loader reads exactly.
  const int64_t days = delta.attr("days").cast<int64_t>();
  const int64_t seconds = delta.attr("seconds").cast<int64_t>();
  const int64_t micros = delta.attr("microseconds").cast<int64_t>();
  const int64_t total = (days * 86'400 + seconds) * 1'000'000 + micros;
  return total == 0 ? "0" : std::to_string(total) + "us";
}

std::string childPath(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

}  // namespace

py::object treeToPython(const policy::Tree& tree) {
  switch (tree.kind()) {
    case policy::Tree::Kind::kNull:
      return py::none();
    case policy::Tree::Kind::kBool:
      return py::bool_(tree.asBool());
    case policy::Tree::Kind::kInt:
      return py::int_(tree.asInt());
    case policy::Tree::Kind::kNumber:
      return numberToPython(tree.text());
    case policy::Tree::Kind::kString:
      return py::str(tree.text());
    case policy::Tree::Kind::kList: {
      py::list out;
      for (const auto& item : tree.items()) out.append(treeToPython(item));
      return out;
    }
    case policy::Tree::Kind::kMap: {
      py::dict out;
      for (const auto& [key, value] : tree.entries()) out[py::str(key)] = treeToPython(value);
      return out;
    }
  }
  return py::none();
}

namespace {

// Types looked up once per conversion rather than once per value: trace lists can be long.
struct PythonTypes {
  py::object timedelta = py::module_::import("datetime").attr("timedelta");
  py::object mapping = py::module_::import("collections.abc").attr("Mapping");
};

policy::Tree convert(py::handle value, const std::string& path, const PythonTypes& types) {
  const std::string where = path.empty() ? "the scenario" : path;
  if (value.is_none()) return policy::Tree::null();
  if (py::isinstance<py::str>(value)) return policy::Tree::string(value.cast<std::string>());
  if (py::isinstance<py::bool_>(value)) return policy::Tree::boolean(value.cast<bool>());
  if (py::isinstance<py::int_>(value)) {
    try {
      return policy::Tree::integer(value.cast<int64_t>());
    } catch (const py::cast_error&) {
      throw py::value_error(where + ": " + py::str(value).cast<std::string>() +
                            " does not fit in a 64-bit integer");
    }
  }
  if (py::isinstance<py::float_>(value)) {
    if (!std::isfinite(value.cast<double>())) {
      throw py::value_error(where + ": YAML numbers must be finite");
    }
    return policy::Tree::number(py::repr(value).cast<std::string>());
  }
  if (py::isinstance<py::dict>(value) || py::isinstance(value, types.mapping)) {
    policy::Tree out = policy::Tree::map();
    for (auto item : py::reinterpret_borrow<py::object>(value).attr("items")()) {
      auto pair = item.cast<py::tuple>();
      py::handle key = pair[0];
      if (!py::isinstance<py::str>(key) && !py::isinstance<py::int_>(key)) {
        throw py::type_error(where + ": mapping keys must be strings or integers, got " +
                             py::repr(key).cast<std::string>());
      }
      const std::string name = py::str(key).cast<std::string>();
      out.set(name, convert(pair[1], childPath(path, name), types));
    }
    return out;
  }
  if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) {
    policy::Tree out = policy::Tree::list();
    size_t index = 0;
    for (auto item : value) {
      out.push(convert(item, path + "[" + std::to_string(index++) + "]", types));
    }
    return out;
  }
  if (py::isinstance(value, types.timedelta)) return policy::Tree::string(goDuration(value));
  if (py::hasattr(value, "__fspath__")) {
    return policy::Tree::string(value.attr("__fspath__")().cast<std::string>());
  }
  throw py::type_error(where + ": cannot write a " +
                       py::str(value.get_type().attr("__name__")).cast<std::string>() +
                       " as YAML (use str, int, float, bool, None, dict, list or timedelta)");
}

}  // namespace

policy::Tree pythonToTree(py::handle value, const std::string& path) {
  return convert(value, path, PythonTypes());
}

py::object yamlTextToPython(const std::string& text) {
  return treeToPython(policy::toTree(YAML::Load(text)));
}

}  // namespace ctplab::python

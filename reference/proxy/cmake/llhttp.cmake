# llhttp 8.1.0 as a small static library, built from the C sources Debian ships in `node-llhttp`
# (it has no .so or .pc). Only reference/proxy/http1 links it; public headers never include it.

set(CTPLAB_LLHTTP_SOURCE_DIR "/usr/share/llhttp" CACHE PATH
    "Directory holding llhttp's llhttp.c, api.c and http.c (Debian package node-llhttp)")
set(CTPLAB_LLHTTP_INCLUDE_DIR "/usr/share/include/llhttp" CACHE PATH
    "Directory holding llhttp.h (Debian package node-llhttp)")

set(_ctplab_llhttp_missing "")
foreach(_file IN ITEMS llhttp.c api.c http.c)
  if(NOT EXISTS "${CTPLAB_LLHTTP_SOURCE_DIR}/${_file}")
    list(APPEND _ctplab_llhttp_missing "${CTPLAB_LLHTTP_SOURCE_DIR}/${_file}")
  endif()
endforeach()
if(NOT EXISTS "${CTPLAB_LLHTTP_INCLUDE_DIR}/llhttp.h")
  list(APPEND _ctplab_llhttp_missing "${CTPLAB_LLHTTP_INCLUDE_DIR}/llhttp.h")
endif()
if(_ctplab_llhttp_missing)
  list(JOIN _ctplab_llhttp_missing ", " _ctplab_llhttp_missing_text)
  message(FATAL_ERROR
    "reference/proxy needs the llhttp C sources, which Debian ships in the package `node-llhttp`.\n"
    "Missing: ${_ctplab_llhttp_missing_text}\n"
    "Install them with:  apt-get install -y --no-install-recommends node-llhttp\n"
    "or point CTPLAB_LLHTTP_SOURCE_DIR / CTPLAB_LLHTTP_INCLUDE_DIR at another copy of llhttp 8.x.")
endif()

add_library(ctplab_llhttp STATIC
  "${CTPLAB_LLHTTP_SOURCE_DIR}/llhttp.c"
  "${CTPLAB_LLHTTP_SOURCE_DIR}/api.c"
  "${CTPLAB_LLHTTP_SOURCE_DIR}/http.c")
set_target_properties(ctplab_llhttp PROPERTIES POSITION_INDEPENDENT_CODE ON C_STANDARD 99)
target_include_directories(ctplab_llhttp SYSTEM PUBLIC "${CTPLAB_LLHTTP_INCLUDE_DIR}")
# Strict mode rejects what Envoy's parser rejects too (e.g. spaces inside header names); it only
# changes llhttp.c, so the definition stays private.
target_compile_definitions(ctplab_llhttp PRIVATE LLHTTP_STRICT_MODE=1)
# Generated third-party code: its warnings are not ours to fix, and -Werror must not break on them.
target_compile_options(ctplab_llhttp PRIVATE -w)

# cmake -DRULES=<layers_rules.cmake> -DROOT=<source tree> -P check_layers.cmake
# Fails when a file of engine/, harness/<wing>/ or cli/ includes a header of a layer it may not
# use (RULES lists, per layer, the layers it may include), or when a source sits at the top of
# harness/ outside every wing. Only quoted includes of those three folders are read: system and
# library headers are the link structure's business.
cmake_minimum_required(VERSION 3.25)
include(${RULES})

function(layer_of path out)  # path relative to ROOT
  if(path MATCHES "^engine/")
    set(${out} engine PARENT_SCOPE)
  elseif(path MATCHES "^cli/")
    set(${out} cli PARENT_SCOPE)
  elseif(path MATCHES "^harness/([^/]+)/")
    set(${out} ${CMAKE_MATCH_1} PARENT_SCOPE)
  else()
    set(${out} "" PARENT_SCOPE)
  endif()
endfunction()

set(problems "")
file(GLOB_RECURSE files RELATIVE ${ROOT} ${ROOT}/engine/*.h ${ROOT}/engine/*.cpp
     ${ROOT}/harness/*.h ${ROOT}/harness/*.cpp ${ROOT}/cli/*.h ${ROOT}/cli/*.cpp)
foreach(file ${files})
  layer_of(${file} layer)
  if(NOT layer OR NOT DEFINED allowed_${layer})
    string(APPEND problems "  ${file}: outside every declared layer (harness/CMakeLists.txt)\n")
    continue()
  endif()
  file(STRINGS ${ROOT}/${file} lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"(engine|harness|cli)/")
  foreach(line ${lines})
    string(REGEX MATCH "\"([^\"]+)\"" _ "${line}")
    set(header ${CMAKE_MATCH_1})
    layer_of(${header} target)
    if(NOT target OR NOT DEFINED allowed_${target})
      string(APPEND problems "  ${file}: includes ${header}, which is in no declared layer\n")
    elseif(NOT target IN_LIST allowed_${layer})
      string(REPLACE ";" ", " may "${allowed_${layer}}")
      string(APPEND problems
             "  ${file}: includes ${header}, but ${layer} may include only ${may}\n")
    endif()
  endforeach()
endforeach()

if(problems)
  message(FATAL_ERROR "include direction violated (layers declared in harness/CMakeLists.txt):\n"
                      "${problems}")
endif()
list(LENGTH files checked)
message(STATUS "include direction: ${checked} files follow the layers")

# The layering of the source tree, declared once and enforced twice: by the link structure
# (a wing links only what it depends on) and by check_layers.cmake, which reads every quoted
# #include of engine/, harness/ and cli/ and fails the build on one that reaches up or sideways.

# streamgauge_layer(NAME [DEPENDS layer...]): records NAME's place; what it may include is
# itself, its DEPENDS and everything they may include.
function(streamgauge_layer name)
  cmake_parse_arguments(arg "" "" "DEPENDS" ${ARGN})
  set(allowed ${name})
  foreach(dep ${arg_DEPENDS})
    get_property(dep_allowed GLOBAL PROPERTY streamgauge_layer_${dep})
    if(NOT dep_allowed)
      message(FATAL_ERROR "layer ${name} depends on ${dep}, which is not declared before it")
    endif()
    list(APPEND allowed ${dep_allowed})
  endforeach()
  list(REMOVE_DUPLICATES allowed)
  set_property(GLOBAL PROPERTY streamgauge_layer_${name} "${allowed}")
  set_property(GLOBAL APPEND PROPERTY streamgauge_layers ${name})
endfunction()

# streamgauge_wing(NAME DEPENDS wing... [LIBS lib...] [INCLUDES dir...]): the static library
# streamgauge_NAME from harness/NAME/*.cpp, linked to the libraries of its DEPENDS.
function(streamgauge_wing name)
  cmake_parse_arguments(arg "" "" "DEPENDS;LIBS;INCLUDES" ${ARGN})
  streamgauge_layer(${name} DEPENDS ${arg_DEPENDS})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${name}/*.cpp)
  add_library(streamgauge_${name} STATIC ${sources})
  target_include_directories(streamgauge_${name} PUBLIC ${PROJECT_SOURCE_DIR} ${arg_INCLUDES})
  set(links ${arg_LIBS})
  foreach(dep ${arg_DEPENDS})
    list(APPEND links streamgauge_${dep})
  endforeach()
  target_link_libraries(streamgauge_${name} PUBLIC ${links})
  add_dependencies(streamgauge_${name} streamgauge_layer_check)
endfunction()

# Writes the declared layers to the build tree and adds the check that every wing's build waits
# for. It reruns whenever a source file of a checked folder changes.
function(streamgauge_layer_check)
  get_property(layers GLOBAL PROPERTY streamgauge_layers)
  set(rules "")
  foreach(layer ${layers})
    get_property(allowed GLOBAL PROPERTY streamgauge_layer_${layer})
    string(APPEND rules "set(allowed_${layer} \"${allowed}\")\n")
  endforeach()
  string(APPEND rules "set(layers \"${layers}\")\n")
  set(rules_file ${PROJECT_BINARY_DIR}/layers_rules.cmake)
  file(WRITE ${rules_file} "${rules}")
  file(GLOB_RECURSE checked CONFIGURE_DEPENDS
       ${PROJECT_SOURCE_DIR}/engine/*.h ${PROJECT_SOURCE_DIR}/engine/*.cpp
       ${PROJECT_SOURCE_DIR}/harness/*.h ${PROJECT_SOURCE_DIR}/harness/*.cpp
       ${PROJECT_SOURCE_DIR}/cli/*.h ${PROJECT_SOURCE_DIR}/cli/*.cpp)
  set(stamp ${PROJECT_BINARY_DIR}/layers_checked.stamp)
  add_custom_command(OUTPUT ${stamp}
    COMMAND ${CMAKE_COMMAND} -DRULES=${rules_file} -DROOT=${PROJECT_SOURCE_DIR}
            -P ${PROJECT_SOURCE_DIR}/cmake/check_layers.cmake
    COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
    DEPENDS ${checked} ${rules_file} ${PROJECT_SOURCE_DIR}/cmake/check_layers.cmake
    COMMENT "Checking the include direction of engine/, harness/ and cli/"
    VERBATIM)
  add_custom_target(streamgauge_layer_check DEPENDS ${stamp})
  set(STREAMGAUGE_LAYER_RULES ${rules_file} PARENT_SCOPE)
endfunction()

# cmake -DRULES=... -DCHECKER=... -DWORK=<scratch dir> -P test_check_layers.cmake
# Runs the include-direction check on small trees: one that follows the layers must pass; in
# each of the others one include reaches up or sideways, and the check must fail naming it.
cmake_minimum_required(VERSION 3.25)
function(make_tree dir bad_file bad_include)
  file(REMOVE_RECURSE ${dir})
  file(WRITE ${dir}/engine/record.h "#pragma once\n")
  file(WRITE ${dir}/harness/job/job.h "#pragma once\n#include \"engine/record.h\"\n")
  file(WRITE ${dir}/harness/matrix/matrix.h "#pragma once\n#include \"harness/job/job.h\"\n")
  file(WRITE ${dir}/cli/main.cpp "#include \"harness/matrix/matrix.h\"\n")
  if(bad_file)
    file(APPEND ${dir}/${bad_file} "#include \"${bad_include}\"\n")
  endif()
endfunction()

function(run_check dir out_result out_text)
  execute_process(COMMAND ${CMAKE_COMMAND} -DRULES=${RULES} -DROOT=${dir} -P ${CHECKER}
                  RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(${out_result} ${result} PARENT_SCOPE)
  set(${out_text} "${out}${err}" PARENT_SCOPE)
endfunction()

make_tree(${WORK}/good "" "")
run_check(${WORK}/good result text)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "a tree that follows the layers failed the check:\n${text}")
endif()

# file with the wrong include | the include | what the message must say
set(cases
  "harness/job/job.h|harness/matrix/matrix.h|job may include only"
  "engine/record.h|harness/job/job.h|engine may include only engine"
  "harness/matrix/matrix.h|cli/commands.h|matrix may include only"
  "harness/job/job.h|harness/nowhere/x.h|in no declared layer")
foreach(case ${cases})
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 file)
  list(GET parts 1 include)
  list(GET parts 2 expected)
  make_tree(${WORK}/bad "${file}" "${include}")
  run_check(${WORK}/bad result text)
  if(result EQUAL 0)
    message(FATAL_ERROR "${file} including ${include} passed the check")
  endif()
  string(FIND "${text}" "${file}: includes ${include}" named)
  string(FIND "${text}" "${expected}" explained)
  if(named EQUAL -1 OR explained EQUAL -1)
    message(FATAL_ERROR "the check failed without naming ${file}, ${include} and '${expected}':\n${text}")
  endif()
endforeach()

make_tree(${WORK}/loose "" "")
file(WRITE ${WORK}/loose/harness/loose.cpp "\n")
run_check(${WORK}/loose result text)
string(FIND "${text}" "harness/loose.cpp: outside every declared layer" named)
if(result EQUAL 0 OR named EQUAL -1)
  message(FATAL_ERROR "a source at the top of harness/ passed the check:\n${text}")
endif()
message(STATUS "the check passed the good tree and failed each wrong include by name")

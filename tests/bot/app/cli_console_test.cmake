# Pipes a session into `funnelbot console` and checks what a user would see.
set(db "${WORKDIR}/cli-console-test.db")
file(REMOVE "${db}" "${db}-wal" "${db}-shm")
file(WRITE "${WORKDIR}/admin.txt"
  "/funnel-admin product add Widgets\n/funnel-admin product add Gadgets\n/funnel-admin product add Services\n")
execute_process(COMMAND "${FUNNELBOT}" console --db "${db}" INPUT_FILE "${WORKDIR}/admin.txt"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "admin session exited ${rc}: ${out} ${err}")
endif()
set(alice "")
foreach(i RANGE 1 8)
  string(APPEND alice "/opp add Customer ${i} product:Widgets amount:10k\n")
endforeach()
string(APPEND alice "/opp add Customer 9 product:Gadgets\n/opp add Customer 10 product:Services\n")
string(APPEND alice "/opp add Acme product:Widgts\n/funnel-check\n")
file(WRITE "${WORKDIR}/alice.txt" "${alice}")
execute_process(COMMAND "${FUNNELBOT}" console --db "${db}" --as alice INPUT_FILE "${WORKDIR}/alice.txt"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "alice's session exited ${rc} (user errors must still exit 0): ${out} ${err}")
endif()
foreach(expected
    "Widgets is 80 % of your open opportunities — above the 70 % guideline."
    "Unknown product line \"Widgts\". Did you mean \"Widgets\"?"
    "New customers")
  string(FIND "${out}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "missing \"${expected}\" in:\n${out}")
  endif()
endforeach()
string(FIND "${out}" "> " prompt)
if(NOT prompt EQUAL -1)
  message(FATAL_ERROR "a prompt was printed on a pipe:\n${out}")
endif()
execute_process(COMMAND "${FUNNELBOT}" --version OUTPUT_VARIABLE version RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT version MATCHES "^funnelbot [0-9]")
  message(FATAL_ERROR "--version: ${rc} ${version}")
endif()

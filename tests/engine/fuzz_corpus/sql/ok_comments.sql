-- leading comment
SELECT a, -- trailing
  /* block
 comment */ b
FROM t -- end
(module
  ;; log(n): the worker counts calls back into JavaScript
  (import "env" "log" (func $log (param i32)))
  (memory (export "memory") 1 2048)
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func $fib (export "fib") (param i32) (result i32)
    local.get 0 i32.const 2 i32.lt_s
    if (result i32) local.get 0
    else local.get 0 i32.const 1 i32.sub call $fib local.get 0 i32.const 2 i32.sub call $fib i32.add end)
  ;; upper(ptr, len): ASCII a-z to A-Z in place; returns how many it changed, and logs it
  (func (export "upper") (param $p i32) (param $n i32) (result i32) (local $c i32) (local $changed i32)
    block $done loop $l
      local.get $n i32.eqz br_if $done
      local.get $p i32.load8_u local.tee $c
      i32.const 97 i32.ge_u local.get $c i32.const 122 i32.le_u i32.and
      if local.get $p local.get $c i32.const 32 i32.sub i32.store8
         local.get $changed i32.const 1 i32.add local.set $changed end
      local.get $p i32.const 1 i32.add local.set $p
      local.get $n i32.const 1 i32.sub local.set $n
      br $l end end
    local.get $changed call $log
    local.get $changed)
  (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
  (func (export "pages") (result i32) memory.size)
  ;; spin: never returns; only the CPU limit stops it
  (func (export "spin") (loop $l br $l)))

;; Fused LSTM gate math for @recurrent/core, WebAssembly SIMD128, sharing the gemm module's memory (imported).
;;
;; The arithmetic mirrors the TypeScript kernel (kernels/recurrent/lstm.ts) operation for operation in float64 and
;; rounds to float32 at the same points, so results agree with it to the last bit except in the rare case where the
;; exp below and the engine's Math.exp round differently (both are within about one double ulp).
;; Two elements per iteration: f32 pairs are promoted to f64x2, computed, demoted and stored.
;; All pointers are byte offsets into the imported memory; float32 buffers unless named *64.
(module
  (import "env" "memory" (memory 1))

  ;; exp(x) for f64x2: n = round(x/ln2), r = x − n·ln2 (Cody–Waite, |r| ≤ ln2/2), Taylor polynomial of degree 13
  ;; (truncation < 1e-17 relative), scaled by 2ⁿ built in the exponent bits. x is clamped to [−708, 709], so the
  ;; result is finite and normal; callers only need exp of large |x| to be huge or tiny, not exact.
  (func $exp (param $x v128) (result v128)
    (local $t v128) (local $n v128) (local $r v128) (local $p v128)
    (local.set $x (f64x2.max (f64x2.splat (f64.const -708)) (f64x2.min (local.get $x) (f64x2.splat (f64.const 709)))))
    ;; t = x·log2(e) + 1.5·2^52: the integer n sits in t's low mantissa bits
    (local.set $t (f64x2.add (f64x2.mul (local.get $x) (f64x2.splat (f64.const 1.4426950408889634)))
                             (f64x2.splat (f64.const 6755399441055744))))
    (local.set $n (f64x2.sub (local.get $t) (f64x2.splat (f64.const 6755399441055744))))
    (local.set $r (f64x2.sub (f64x2.sub (local.get $x) (f64x2.mul (local.get $n) (f64x2.splat (f64.const 0.693147180369123816490))))
                             (f64x2.mul (local.get $n) (f64x2.splat (f64.const 1.90821492927058770002e-10)))))
    (local.set $p (f64x2.splat (f64.const 1.6059043836821613e-10)))                                   ;; 1/13!
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 2.0876756987868100e-9)))) ;; 1/12!
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 2.5052108385441720e-8)))) ;; 1/11!
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 2.7557319223985888e-7)))) ;; 1/10!
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 2.7557319223985893e-6)))) ;; 1/9!
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 2.4801587301587302e-5)))) ;; 1/8!
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 1.9841269841269841e-4)))) ;; 1/7!
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 1.3888888888888889e-3)))) ;; 1/6!
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 8.3333333333333332e-3))))  ;; 1/5!
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 4.1666666666666664e-2))))  ;; 1/4!
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 0.16666666666666666))))  ;; 1/3!
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 0.5))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 1))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 1))))
    ;; 2ⁿ: bits(t) = bits(1.5·2^52) + n = 0x4338000000000000 + n, so add 1023 − 0x4338000000000000 and shift
    (f64x2.mul (local.get $p)
      (i64x2.shl (i64x2.add (local.get $t) (i64x2.splat (i64.const -4843621399236967425))) (i32.const 52))))
  
  ;; σ(x) as the TS kernel computes it: 1/(1+e^−x) for x ≥ 0, e^x/(1+e^x) otherwise (e = exp(−|x|) either way).
  (func $sigmoid (param $x v128) (result v128)
    (local $e v128) (local $d v128)
    (local.set $e (call $exp (f64x2.neg (f64x2.abs (local.get $x)))))
    (local.set $d (f64x2.add (f64x2.splat (f64.const 1)) (local.get $e)))
    (v128.bitselect
      (f64x2.div (f64x2.splat (f64.const 1)) (local.get $d))
      (f64x2.div (local.get $e) (local.get $d))
      (f64x2.ge (local.get $x) (f64x2.splat (f64.const 0)))))

  ;; tanh(x) = sign(x)·(1 − e)/(1 + e), e = exp(−2|x|); an odd Taylor polynomial below |x| = 2⁻⁷ avoids the
  ;; cancellation in 1 − e (its truncation error there is below 1e-19 relative).
  (func $tanh (param $x v128) (result v128)
    (local $a v128) (local $e v128) (local $big v128) (local $x2 v128) (local $small v128)
    (local.set $a (f64x2.abs (local.get $x)))
    (local.set $e (call $exp (f64x2.mul (local.get $a) (f64x2.splat (f64.const -2)))))
    (local.set $big (f64x2.div (f64x2.sub (f64x2.splat (f64.const 1)) (local.get $e))
                               (f64x2.add (f64x2.splat (f64.const 1)) (local.get $e))))
    (local.set $x2 (f64x2.mul (local.get $a) (local.get $a)))
    ;; a·(1 − a²/3 + 2a⁴/15 − 17a⁶/315 + 62a⁸/2835)
    (local.set $small (f64x2.splat (f64.const 0.021869488536155203)))
    (local.set $small (f64x2.sub (f64x2.mul (local.get $small) (local.get $x2)) (f64x2.splat (f64.const 0.05396825396825397))))
    (local.set $small (f64x2.add (f64x2.mul (local.get $small) (local.get $x2)) (f64x2.splat (f64.const 0.13333333333333333))))
    (local.set $small (f64x2.sub (f64x2.mul (local.get $small) (local.get $x2)) (f64x2.splat (f64.const 0.3333333333333333))))
    (local.set $small (f64x2.mul (local.get $a) (f64x2.add (f64x2.mul (local.get $small) (local.get $x2)) (f64x2.splat (f64.const 1)))))
    (local.set $big (v128.bitselect (local.get $small) (local.get $big) (f64x2.lt (local.get $a) (f64x2.splat (f64.const 0x1p-7)))))
    ;; copy the sign of x (tanh is odd; keeps −0 as −0)
    (v128.or (local.get $big) (v128.and (local.get $x) (i64x2.splat (i64.const 0x8000000000000000)))))

  (func $ld (param $p i32) (result v128)
    (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p))))
  (func $st (param $p i32) (param $v v128)
    (v128.store64_lane 0 (local.get $p) (f32x4.demote_f64x2_zero (local.get $v))))
  ;; round a f64x2 to float32 precision and back (the TS kernel re-reads stored float32 values)
  (func $round32 (param $v v128) (result v128)
    (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $v))))

  ;; One LSTM time step for `rows` sequences, H even (G = 4H):
  ;;   gates [rows, G]: on entry x·W_ihᵀ + biases; on exit the activations i, f, g, o
  ;;   rec   [rows, G]: h_{t−1}·W_hhᵀ
  ;;   cIn, cOut, hOut, out [rows, H]; tanhC [rows, H] or 0 (not kept)
  ;;   c' = f⊙c + i⊙g, h' = o⊙tanh(c'), h' written to hOut and out.
  (func (export "lstm_forward_step")
    (param $gates i32) (param $rec i32) (param $cIn i32) (param $cOut i32) (param $hOut i32)
    (param $tanhC i32) (param $out i32) (param $rows i32) (param $H i32)
    (local $hb i32) (local $r i32) (local $j i32) (local $gp i32) (local $rp i32) (local $o i32)
    (local $i v128) (local $f v128) (local $g v128) (local $og v128) (local $c v128) (local $tc v128)
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (local.set $r (i32.const 0))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $j (i32.const 0))
        (block $colsDone
          (loop $colLoop
            (br_if $colsDone (i32.ge_u (local.get $j) (local.get $H)))
            ;; byte offset of element j in gate 0 of this row, and in the [rows, H] buffers
            (local.set $gp (i32.add (local.get $gates)
              (i32.shl (i32.add (i32.shl (i32.mul (local.get $r) (local.get $H)) (i32.const 2)) (local.get $j)) (i32.const 2))))
            (local.set $rp (i32.add (local.get $rec) (i32.sub (local.get $gp) (local.get $gates))))
            (local.set $o (i32.shl (i32.add (i32.mul (local.get $r) (local.get $H)) (local.get $j)) (i32.const 2)))
            (local.set $i (call $sigmoid (f64x2.add (call $ld (local.get $gp)) (call $ld (local.get $rp)))))
            (local.set $gp (i32.add (local.get $gp) (local.get $hb)))
            (local.set $rp (i32.add (local.get $rp) (local.get $hb)))
            (local.set $f (call $sigmoid (f64x2.add (call $ld (local.get $gp)) (call $ld (local.get $rp)))))
            (local.set $gp (i32.add (local.get $gp) (local.get $hb)))
            (local.set $rp (i32.add (local.get $rp) (local.get $hb)))
            (local.set $g (call $tanh (f64x2.add (call $ld (local.get $gp)) (call $ld (local.get $rp)))))
            (local.set $gp (i32.add (local.get $gp) (local.get $hb)))
            (local.set $rp (i32.add (local.get $rp) (local.get $hb)))
            (local.set $og (call $sigmoid (f64x2.add (call $ld (local.get $gp)) (call $ld (local.get $rp)))))
            (call $st (local.get $gp) (local.get $og))
            (local.set $gp (i32.sub (local.get $gp) (local.get $hb)))
            (call $st (local.get $gp) (local.get $g))
            (local.set $gp (i32.sub (local.get $gp) (local.get $hb)))
            (call $st (local.get $gp) (local.get $f))
            (local.set $gp (i32.sub (local.get $gp) (local.get $hb)))
            (call $st (local.get $gp) (local.get $i))
            (local.set $c (call $round32 (f64x2.add (f64x2.mul (local.get $f) (call $ld (i32.add (local.get $cIn) (local.get $o))))
                                                    (f64x2.mul (local.get $i) (local.get $g)))))
            (call $st (i32.add (local.get $cOut) (local.get $o)) (local.get $c))
            (local.set $tc (call $tanh (local.get $c)))
            (if (local.get $tanhC) (then (call $st (i32.add (local.get $tanhC) (local.get $o)) (local.get $tc))))
            (local.set $c (f64x2.mul (local.get $og) (local.get $tc)))
            (call $st (i32.add (local.get $hOut) (local.get $o)) (local.get $c))
            (call $st (i32.add (local.get $out) (local.get $o)) (local.get $c))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $colLoop)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowLoop))))

  ;; m[rows, cols] += bias[cols] (float32; cols a multiple of 4)
  (func (export "add_row_bias") (param $m i32) (param $rows i32) (param $cols i32) (param $bias i32)
    (local $end i32) (local $k i32) (local $rowEnd i32)
    (local.set $end (i32.add (local.get $m) (i32.shl (i32.mul (local.get $rows) (local.get $cols)) (i32.const 2))))
    (block $done
      (loop $rowLoop
        (br_if $done (i32.ge_u (local.get $m) (local.get $end)))
        (local.set $k (local.get $bias))
        (local.set $rowEnd (i32.add (local.get $m) (i32.shl (local.get $cols) (i32.const 2))))
        (loop $colLoop
          (v128.store (local.get $m) (f32x4.add (v128.load (local.get $m)) (v128.load (local.get $k))))
          (local.set $m (i32.add (local.get $m) (i32.const 16)))
          (local.set $k (i32.add (local.get $k) (i32.const 16)))
          (br_if $colLoop (i32.lt_u (local.get $m) (local.get $rowEnd))))
        (br $rowLoop))))
)

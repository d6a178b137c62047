;; Fused LSTM gate math for @recurrent/core, WebAssembly SIMD128, sharing the gemm module's memory (imported).
;;
;; The forward gate math is float32 throughout (four lanes per instruction): every operation rounds to float32, and
;; the TypeScript kernel (kernels/recurrent/lstm.ts with kernels/recurrent/float32-math.ts) performs the same
;; operations in the same order with Math.fround after each, so the two agree bit for bit. wasm SIMD has no fused
;; multiply-add, which is what makes that possible. The backward step keeps its float64 carries (as the TS kernel).
;; All pointers are byte offsets into the imported memory; float32 buffers unless named *64.
(module
  (import "env" "memory" (memory 1))

  ;; exp(x) for x ≤ 0 in f32x4, written out inline below (this V8 does not inline wasm calls), after Cephes' expf:
  ;; 0 below x = −86 (exp(−86) ≈ 4.5e−38; the polynomial path then stays in normal numbers), otherwise
  ;; n = round(x·log2 e) by the 1.5·2²³ trick, r = x − n·C1 − n·C2 (C1 = 0.693359375 exact in 9 bits, so n·C1 is
  ;; exact), polynomial 1 + r + r²·P(r) with P of degree 5, scaled by 2ⁿ built in the exponent bits. The NaN
  ;; test is false for lt, and pmax with x first keeps a NaN x as NaN.

  ;; out[k] = σ(a[k] + b[k]), k < n (n even; b = 0: no b; out may be a):
  ;; 1/(1+e) for x ≥ 0, e/(1+e) otherwise, with e = exp(−|x|).
  (func $sigmoid_rows (param $a i32) (param $b i32) (param $n i32) (param $out i32)
    (local $end i32) (local $full i32) (local $v v128) (local $x v128) (local $t v128) (local $n2 v128) (local $r v128)
    (local $p v128) (local $e v128) (local $tiny v128)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        ;; four lanes, or the last two (n is even)
        (local.set $full (i32.ge_u (i32.sub (local.get $end) (local.get $a)) (i32.const 16)))
        (local.set $v (if (result v128) (local.get $full) (then (v128.load (local.get $a))) (else (v128.load64_zero (local.get $a)))))
        (if (local.get $b) (then
          (local.set $v (f32x4.add (local.get $v)
            (if (result v128) (local.get $full) (then (v128.load (local.get $b))) (else (v128.load64_zero (local.get $b))))))
          (local.set $b (i32.add (local.get $b) (i32.const 16)))))
        (local.set $x (f32x4.neg (f32x4.abs (local.get $v))))
        (local.set $tiny (f32x4.lt (local.get $x) (f32x4.splat (f32.const -86))))
        (local.set $x (f32x4.pmax (local.get $x) (f32x4.splat (f32.const -86))))
        ;; t = x·log2(e) + 1.5·2²³: the integer n sits in t's low mantissa bits
        (local.set $t (f32x4.add (f32x4.mul (local.get $x) (f32x4.splat (f32.const 1.44269504088896341)))
                                 (f32x4.splat (f32.const 12582912))))
        (local.set $n2 (f32x4.sub (local.get $t) (f32x4.splat (f32.const 12582912))))
        (local.set $r (f32x4.sub (local.get $x) (f32x4.mul (local.get $n2) (f32x4.splat (f32.const 0.693359375)))))
        (local.set $r (f32x4.sub (local.get $r) (f32x4.mul (local.get $n2) (f32x4.splat (f32.const -2.12194440e-4)))))
        (local.set $p (f32x4.add (f32x4.mul (f32x4.splat (f32.const 1.9875691500e-4)) (local.get $r)) (f32x4.splat (f32.const 1.3981999507e-3))))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 8.3334519073e-3))))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 4.1665795894e-2))))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.6666665459e-1))))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 5.0000001201e-1))))
        (local.set $p (f32x4.add (f32x4.add (f32x4.mul (local.get $p) (f32x4.mul (local.get $r) (local.get $r))) (local.get $r)) (f32x4.splat (f32.const 1))))
        ;; 2ⁿ: bits(t) = 0x4B400000 + n, so subtract 0x4B400000 − 127 and shift into the exponent
        (local.set $e (f32x4.mul (local.get $p)
          (i32x4.shl (i32x4.sub (local.get $t) (i32x4.splat (i32.const 0x4B3FFF81))) (i32.const 23))))
        (local.set $e (v128.andnot (local.get $e) (local.get $tiny)))
        (local.set $v (f32x4.div
          (v128.bitselect (f32x4.splat (f32.const 1)) (local.get $e) (f32x4.ge (local.get $v) (f32x4.splat (f32.const 0))))
          (f32x4.add (f32x4.splat (f32.const 1)) (local.get $e))))
        (if (local.get $full) (then (v128.store (local.get $out) (local.get $v))) (else (v128.store64_lane 0 (local.get $out) (local.get $v))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $next))))

  ;; Same contract with tanh: below |x| = 0.625 Cephes' odd polynomial |x| + |x|·x²·Q(x²) (no cancellation), above
  ;; (1 − e)/(1 + e) with e = exp(−2|x|); then the sign of x (tanh is odd; −0 stays −0).
  (func $tanh_rows (param $a i32) (param $b i32) (param $n i32) (param $out i32)
    (local $end i32) (local $full i32) (local $v v128) (local $x v128) (local $t v128) (local $n2 v128) (local $r v128)
    (local $p v128) (local $e v128) (local $tiny v128) (local $abs v128) (local $z v128) (local $small v128)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $full (i32.ge_u (i32.sub (local.get $end) (local.get $a)) (i32.const 16)))
        (local.set $v (if (result v128) (local.get $full) (then (v128.load (local.get $a))) (else (v128.load64_zero (local.get $a)))))
        (if (local.get $b) (then
          (local.set $v (f32x4.add (local.get $v)
            (if (result v128) (local.get $full) (then (v128.load (local.get $b))) (else (v128.load64_zero (local.get $b))))))
          (local.set $b (i32.add (local.get $b) (i32.const 16)))))
        (local.set $abs (f32x4.abs (local.get $v)))
        (local.set $x (f32x4.mul (local.get $abs) (f32x4.splat (f32.const -2))))
        (local.set $tiny (f32x4.lt (local.get $x) (f32x4.splat (f32.const -86))))
        (local.set $x (f32x4.pmax (local.get $x) (f32x4.splat (f32.const -86))))
        ;; t = x·log2(e) + 1.5·2²³: the integer n sits in t's low mantissa bits
        (local.set $t (f32x4.add (f32x4.mul (local.get $x) (f32x4.splat (f32.const 1.44269504088896341)))
                                 (f32x4.splat (f32.const 12582912))))
        (local.set $n2 (f32x4.sub (local.get $t) (f32x4.splat (f32.const 12582912))))
        (local.set $r (f32x4.sub (local.get $x) (f32x4.mul (local.get $n2) (f32x4.splat (f32.const 0.693359375)))))
        (local.set $r (f32x4.sub (local.get $r) (f32x4.mul (local.get $n2) (f32x4.splat (f32.const -2.12194440e-4)))))
        (local.set $p (f32x4.add (f32x4.mul (f32x4.splat (f32.const 1.9875691500e-4)) (local.get $r)) (f32x4.splat (f32.const 1.3981999507e-3))))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 8.3334519073e-3))))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 4.1665795894e-2))))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.6666665459e-1))))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 5.0000001201e-1))))
        (local.set $p (f32x4.add (f32x4.add (f32x4.mul (local.get $p) (f32x4.mul (local.get $r) (local.get $r))) (local.get $r)) (f32x4.splat (f32.const 1))))
        ;; 2ⁿ: bits(t) = 0x4B400000 + n, so subtract 0x4B400000 − 127 and shift into the exponent
        (local.set $e (f32x4.mul (local.get $p)
          (i32x4.shl (i32x4.sub (local.get $t) (i32x4.splat (i32.const 0x4B3FFF81))) (i32.const 23))))
        (local.set $e (v128.andnot (local.get $e) (local.get $tiny)))
        (local.set $e (f32x4.div (f32x4.sub (f32x4.splat (f32.const 1)) (local.get $e))
                                 (f32x4.add (f32x4.splat (f32.const 1)) (local.get $e))))
        (local.set $z (f32x4.mul (local.get $abs) (local.get $abs)))
        (local.set $small (f32x4.add (f32x4.mul (f32x4.splat (f32.const -5.70498872745e-3)) (local.get $z)) (f32x4.splat (f32.const 2.06390887954e-2))))
        (local.set $small (f32x4.add (f32x4.mul (local.get $small) (local.get $z)) (f32x4.splat (f32.const -5.37397155531e-2))))
        (local.set $small (f32x4.add (f32x4.mul (local.get $small) (local.get $z)) (f32x4.splat (f32.const 1.33314422036e-1))))
        (local.set $small (f32x4.add (f32x4.mul (local.get $small) (local.get $z)) (f32x4.splat (f32.const -3.33332819422e-1))))
        (local.set $small (f32x4.add (f32x4.mul (f32x4.mul (local.get $small) (local.get $z)) (local.get $abs)) (local.get $abs)))
        (local.set $e (v128.bitselect (local.get $small) (local.get $e) (f32x4.lt (local.get $abs) (f32x4.splat (f32.const 0.625)))))
        (local.set $v (v128.or (local.get $e) (v128.and (local.get $v) (i32x4.splat (i32.const 0x80000000)))))
        (if (local.get $full) (then (v128.store (local.get $out) (local.get $v))) (else (v128.store64_lane 0 (local.get $out) (local.get $v))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $next))))

;; Additive (Bahdanau) attention scores of one query row: out[s] = Σ_h v[h]·tanh(q[h] + keys[s, h]) for s < S,
  ;; H a multiple of 4. tanh as $tanh_rows, the sum in four float32 lanes then across them. keep = 0: tmp holds H
  ;; floats (decoding); keep ≠ 0: tmp holds S·H floats and keeps every tanh row, tmp[s, h] (training's backward).
  (func (export "additive_scores")
    (param $q i32) (param $keys i32) (param $v i32) (param $S i32) (param $H i32) (param $tmp i32) (param $keep i32)
    (param $out i32)
    (local $s i32) (local $h i32) (local $rowBytes i32) (local $acc v128)
    (local.set $rowBytes (i32.shl (local.get $H) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $s) (local.get $S)))
        (call $tanh_rows (local.get $q) (local.get $keys) (local.get $H) (local.get $tmp))
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $h (i32.const 0))
        (block $dot_done
          (loop $dot
            (br_if $dot_done (i32.ge_u (local.get $h) (local.get $rowBytes)))
            (local.set $acc (f32x4.add (local.get $acc)
              (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $h)))
                         (v128.load (i32.add (local.get $tmp) (local.get $h))))))
            (local.set $h (i32.add (local.get $h) (i32.const 16)))
            (br $dot)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $s) (i32.const 2)))
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
            (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
        (local.set $keys (i32.add (local.get $keys) (local.get $rowBytes)))
        (if (local.get $keep) (then (local.set $tmp (i32.add (local.get $tmp) (local.get $rowBytes)))))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $next))))

;; The backward of additive_scores for one query row, H a multiple of 4, given dScore [S] (d loss / d out[s]) and
  ;; the kept tanh rows act [S, H]: for every s with dScore[s] ≠ 0, with d = dScore[s]·v[h]·(1 − act[s, h]²):
  ;; gv[h] += dScore[s]·act[s, h], gk[s, h] += d, gq[h] += d (accumulated, float32).
  (func (export "additive_scores_backward")
    (param $act i32) (param $v i32) (param $dScore i32) (param $S i32) (param $H i32) (param $gq i32) (param $gk i32)
    (param $gv i32)
    (local $s i32) (local $h i32) (local $rowBytes i32) (local $ds v128) (local $t v128) (local $d v128)
    (local.set $rowBytes (i32.shl (local.get $H) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $s) (local.get $S)))
        (if (f32.ne (f32.load (local.get $dScore)) (f32.const 0))
          (then
            (local.set $ds (f32x4.splat (f32.load (local.get $dScore))))
            (local.set $h (i32.const 0))
            (block $row_done
              (loop $row
                (br_if $row_done (i32.ge_u (local.get $h) (local.get $rowBytes)))
                (local.set $t (v128.load (i32.add (local.get $act) (local.get $h))))
                (v128.store (i32.add (local.get $gv) (local.get $h))
                  (f32x4.add (v128.load (i32.add (local.get $gv) (local.get $h))) (f32x4.mul (local.get $ds) (local.get $t))))
                (local.set $d (f32x4.mul (f32x4.mul (local.get $ds) (v128.load (i32.add (local.get $v) (local.get $h))))
                  (f32x4.sub (f32x4.splat (f32.const 1)) (f32x4.mul (local.get $t) (local.get $t)))))
                (v128.store (i32.add (local.get $gk) (local.get $h))
                  (f32x4.add (v128.load (i32.add (local.get $gk) (local.get $h))) (local.get $d)))
                (v128.store (i32.add (local.get $gq) (local.get $h))
                  (f32x4.add (v128.load (i32.add (local.get $gq) (local.get $h))) (local.get $d)))
                (local.set $h (i32.add (local.get $h) (i32.const 16)))
                (br $row)))))
        (local.set $act (i32.add (local.get $act) (local.get $rowBytes)))
        (local.set $gk (i32.add (local.get $gk) (local.get $rowBytes)))
        (local.set $dScore (i32.add (local.get $dScore) (i32.const 4)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $next))))

  ;; One LSTM time step for `rows` sequences, H even (G = 4H):
  ;;   gates [rows, G]: on entry x·W_ihᵀ + biases; on exit the activations i, f, g, o
  ;;   rec   [rows, G]: h_{t−1}·W_hhᵀ
  ;;   cIn, cOut, hOut, out [rows, H]; tanhC [rows, H] or 0 (not kept)
  ;;   c' = f⊙c + i⊙g, h' = o⊙tanh(c'), h' written to hOut and out (cOut may be cIn, hOut and out may alias).
  (func (export "lstm_forward_step")
    (param $gates i32) (param $rec i32) (param $cIn i32) (param $cOut i32) (param $hOut i32)
    (param $tanhC i32) (param $out i32) (param $rows i32) (param $H i32)
    (local $hb i32) (local $r i32) (local $j i32) (local $full i32) (local $tc i32) (local $c v128)
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (local.set $r (i32.const 0))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        ;; i, f | g | o, in place
        (call $sigmoid_rows (local.get $gates) (local.get $rec) (i32.shl (local.get $H) (i32.const 1)) (local.get $gates))
        (call $tanh_rows (i32.add (local.get $gates) (i32.shl (local.get $hb) (i32.const 1))) (i32.add (local.get $rec) (i32.shl (local.get $hb) (i32.const 1)))
          (local.get $H) (i32.add (local.get $gates) (i32.shl (local.get $hb) (i32.const 1))))
        (call $sigmoid_rows (i32.add (local.get $gates) (i32.mul (local.get $hb) (i32.const 3))) (i32.add (local.get $rec) (i32.mul (local.get $hb) (i32.const 3)))
          (local.get $H) (i32.add (local.get $gates) (i32.mul (local.get $hb) (i32.const 3))))
        ;; c' = f⊙c + i⊙g
        (local.set $j (i32.const 0))
        (block $cDone
          (loop $cLoop
            (br_if $cDone (i32.ge_u (local.get $j) (local.get $hb)))
            (local.set $full (i32.ge_u (i32.sub (local.get $hb) (local.get $j)) (i32.const 16)))
            (local.set $c (f32x4.add
              (f32x4.mul (if (result v128) (local.get $full) (then (v128.load (i32.add (i32.add (local.get $gates) (local.get $hb)) (local.get $j)))) (else (v128.load64_zero (i32.add (i32.add (local.get $gates) (local.get $hb)) (local.get $j)))))
                         (if (result v128) (local.get $full) (then (v128.load (i32.add (local.get $cIn) (local.get $j)))) (else (v128.load64_zero (i32.add (local.get $cIn) (local.get $j))))))
              (f32x4.mul (if (result v128) (local.get $full) (then (v128.load (i32.add (local.get $gates) (local.get $j)))) (else (v128.load64_zero (i32.add (local.get $gates) (local.get $j)))))
                         (if (result v128) (local.get $full) (then (v128.load (i32.add (i32.add (local.get $gates) (i32.shl (local.get $hb) (i32.const 1))) (local.get $j)))) (else (v128.load64_zero (i32.add (i32.add (local.get $gates) (i32.shl (local.get $hb) (i32.const 1))) (local.get $j))))))))
            (if (local.get $full) (then (v128.store (i32.add (local.get $cOut) (local.get $j)) (local.get $c)))
              (else (v128.store64_lane 0 (i32.add (local.get $cOut) (local.get $j)) (local.get $c))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $cLoop)))
        ;; tanh(c') → tanhC (or, when not kept, out as a scratch row that h' overwrites)
        (local.set $tc (select (local.get $tanhC) (local.get $out) (local.get $tanhC)))
        (call $tanh_rows (local.get $cOut) (i32.const 0) (local.get $H) (local.get $tc))
        ;; h' = o⊙tanh(c')
        (local.set $j (i32.const 0))
        (block $hDone
          (loop $hLoop
            (br_if $hDone (i32.ge_u (local.get $j) (local.get $hb)))
            (local.set $full (i32.ge_u (i32.sub (local.get $hb) (local.get $j)) (i32.const 16)))
            (local.set $c (f32x4.mul
              (if (result v128) (local.get $full) (then (v128.load (i32.add (i32.add (local.get $gates) (i32.mul (local.get $hb) (i32.const 3))) (local.get $j)))) (else (v128.load64_zero (i32.add (i32.add (local.get $gates) (i32.mul (local.get $hb) (i32.const 3))) (local.get $j)))))
              (if (result v128) (local.get $full) (then (v128.load (i32.add (local.get $tc) (local.get $j)))) (else (v128.load64_zero (i32.add (local.get $tc) (local.get $j)))))))
            (if (local.get $full)
              (then
                (v128.store (i32.add (local.get $hOut) (local.get $j)) (local.get $c))
                (v128.store (i32.add (local.get $out) (local.get $j)) (local.get $c)))
              (else
                (v128.store64_lane 0 (i32.add (local.get $hOut) (local.get $j)) (local.get $c))
                (v128.store64_lane 0 (i32.add (local.get $out) (local.get $j)) (local.get $c))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $hLoop)))
        (local.set $gates (i32.add (local.get $gates) (i32.shl (local.get $hb) (i32.const 2))))
        (local.set $rec (i32.add (local.get $rec) (i32.shl (local.get $hb) (i32.const 2))))
        (local.set $cIn (i32.add (local.get $cIn) (local.get $hb)))
        (local.set $cOut (i32.add (local.get $cOut) (local.get $hb)))
        (local.set $hOut (i32.add (local.get $hOut) (local.get $hb)))
        (local.set $out (i32.add (local.get $out) (local.get $hb)))
        (if (local.get $tanhC) (then (local.set $tanhC (i32.add (local.get $tanhC) (local.get $hb)))))
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

  ;; Backward of one LSTM time step for `rows` sequences (H even, G = 4H), float64 carries as in the TS kernel:
  ;;   gates [rows, G] activations i, f, g, o;  tanhC, cIn [rows, H];  dOut [rows, H] float32 ∂L/∂h_t from above
  ;;   dh64, dc64 [rows, H] float64: on entry the carried ∂L/∂h, ∂L/∂c; on exit dh = 0 and dc = dc·f
  ;;   dG [rows, G] float32 out: gradient of the gate pre-activations.
  (func (export "lstm_backward_step")
    (param $gates i32) (param $tanhC i32) (param $cIn i32) (param $dOut i32) (param $dh i32) (param $dc i32)
    (param $dG i32) (param $rows i32) (param $H i32)
    (local $hb i32) (local $j i32) (local $end i32) (local $g4 i32) (local $d4 i32)
    (local $i v128) (local $f v128) (local $g v128) (local $o v128) (local $tc v128) (local $dhv v128) (local $dcv v128)
    (local $one v128)
    (local.set $one (f64x2.splat (f64.const 1)))
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (local.set $end (i32.add (local.get $tanhC) (i32.mul (local.get $rows) (local.get $hb))))
    (block $done
      (loop $rowLoop
        (br_if $done (i32.ge_u (local.get $tanhC) (local.get $end)))
        (local.set $j (i32.const 0))
        (block $colsDone
          (loop $colLoop
            (br_if $colsDone (i32.ge_u (local.get $j) (local.get $hb)))
            (local.set $g4 (i32.add (local.get $gates) (local.get $j)))
            (local.set $d4 (i32.add (local.get $dG) (local.get $j)))
            (local.set $i (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $g4))))
            (local.set $f (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $g4) (local.get $hb)))))
            (local.set $g (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $g4) (i32.shl (local.get $hb) (i32.const 1))))))
            (local.set $o (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $g4) (i32.mul (local.get $hb) (i32.const 3))))))
            (local.set $tc (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $tanhC) (local.get $j)))))
            (local.set $dhv (f64x2.add (v128.load (local.get $dh))
                                       (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $dOut) (local.get $j))))))
            ;; dc + dh·o·(1 − tc²)
            (local.set $dcv (f64x2.add (v128.load (local.get $dc))
              (f64x2.mul (f64x2.mul (local.get $dhv) (local.get $o))
                         (f64x2.sub (local.get $one) (f64x2.mul (local.get $tc) (local.get $tc))))))
            ;; di = dc·g·i·(1 − i)
            (v128.store64_lane 0 (local.get $d4) (f32x4.demote_f64x2_zero
              (f64x2.mul (f64x2.mul (f64x2.mul (local.get $dcv) (local.get $g)) (local.get $i)) (f64x2.sub (local.get $one) (local.get $i)))))
            ;; df = dc·c_{t−1}·f·(1 − f)
            (v128.store64_lane 0 (i32.add (local.get $d4) (local.get $hb)) (f32x4.demote_f64x2_zero
              (f64x2.mul (f64x2.mul (f64x2.mul (local.get $dcv)
                (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $cIn) (local.get $j))))) (local.get $f))
                (f64x2.sub (local.get $one) (local.get $f)))))
            ;; dg = dc·i·(1 − g²)
            (v128.store64_lane 0 (i32.add (local.get $d4) (i32.shl (local.get $hb) (i32.const 1))) (f32x4.demote_f64x2_zero
              (f64x2.mul (f64x2.mul (local.get $dcv) (local.get $i)) (f64x2.sub (local.get $one) (f64x2.mul (local.get $g) (local.get $g))))))
            ;; do = dh·tc·o·(1 − o)
            (v128.store64_lane 0 (i32.add (local.get $d4) (i32.mul (local.get $hb) (i32.const 3))) (f32x4.demote_f64x2_zero
              (f64x2.mul (f64x2.mul (f64x2.mul (local.get $dhv) (local.get $tc)) (local.get $o)) (f64x2.sub (local.get $one) (local.get $o)))))
            (v128.store (local.get $dc) (f64x2.mul (local.get $dcv) (local.get $f)))
            (v128.store (local.get $dh) (v128.const i64x2 0 0))
            (local.set $dh (i32.add (local.get $dh) (i32.const 16)))
            (local.set $dc (i32.add (local.get $dc) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $colLoop)))
        (local.set $gates (i32.add (local.get $gates) (i32.shl (local.get $hb) (i32.const 2))))
        (local.set $dG (i32.add (local.get $dG) (i32.shl (local.get $hb) (i32.const 2))))
        (local.set $tanhC (i32.add (local.get $tanhC) (local.get $hb)))
        (local.set $cIn (i32.add (local.get $cIn) (local.get $hb)))
        (local.set $dOut (i32.add (local.get $dOut) (local.get $hb)))
        (br $rowLoop))))

  ;; dst64[k] += src32[k], k < n (n even)
  (func (export "add_f32_to_f64") (param $dst i32) (param $src i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (v128.store (local.get $dst) (f64x2.add (v128.load (local.get $dst)) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $src)))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 8)))
        (br $next))))

;; out64[c] += Σ_r m[r, c] (float32 m; rows in order, as the TS column sums; cols even). Row by row, so m streams
  ;; once and out64 stays in L1.
  (func (export "column_sums") (param $m i32) (param $rows i32) (param $cols i32) (param $out i32)
    (local $end i32) (local $rowEnd i32) (local $o i32)
    (local.set $end (i32.add (local.get $m) (i32.shl (i32.mul (local.get $rows) (local.get $cols)) (i32.const 2))))
    (block $done
      (loop $rowLoop
        (br_if $done (i32.ge_u (local.get $m) (local.get $end)))
        (local.set $rowEnd (i32.add (local.get $m) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $o (local.get $out))
        (block $rowDone
          (loop $colLoop
            (br_if $rowDone (i32.ge_u (local.get $m) (local.get $rowEnd)))
            (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $m)))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (local.set $m (i32.add (local.get $m) (i32.const 8)))
            (br $colLoop)))
        (br $rowLoop))))

  ;; dst row ids[r] += src row r for r in 0…rows-1, in row order (float32; cols a multiple of 4): the per-token-id
  ;; sums of the gate gradients when layer 0 reads an embedding (kernels/recurrent/tokens.ts, scatterAddRows).
  (func (export "scatter_add_rows") (param $src i32) (param $ids i32) (param $rows i32) (param $cols i32) (param $dst i32)
    (local $r i32) (local $d i32) (local $end i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (block $done
      (loop $rowLoop
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $d (i32.add (local.get $dst) (i32.mul (i32.load (i32.add (local.get $ids) (i32.shl (local.get $r) (i32.const 2)))) (local.get $rowBytes))))
        (local.set $end (i32.add (local.get $src) (local.get $rowBytes)))
        (block $rowDone
          (loop $colLoop
            (br_if $rowDone (i32.ge_u (local.get $src) (local.get $end)))
            (v128.store (local.get $d) (f32x4.add (v128.load (local.get $d)) (v128.load (local.get $src))))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (local.set $src (i32.add (local.get $src) (i32.const 16)))
            (br $colLoop)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowLoop))))

  ;; [A, B, row] → [B, A, row]: dst row (b·A + a) = src row (a·B + b), rows of rowBytes bytes — the batch-first ↔
  ;; time-major copy of a layer's output and of its gradient, done in wasm memory so JavaScript moves one block.
  (func (export "swap_leading") (param $src i32) (param $dst i32) (param $A i32) (param $B i32) (param $rowBytes i32)
    (local $a i32) (local $b i32) (local $s i32)
    (local.set $s (local.get $src))
    (block $done
      (loop $aLoop
        (br_if $done (i32.ge_u (local.get $a) (local.get $A)))
        (local.set $b (i32.const 0))
        (block $bDone
          (loop $bLoop
            (br_if $bDone (i32.ge_u (local.get $b) (local.get $B)))
            (memory.copy
              (i32.add (local.get $dst) (i32.mul (i32.add (i32.mul (local.get $b) (local.get $A)) (local.get $a)) (local.get $rowBytes)))
              (local.get $s)
              (local.get $rowBytes))
            (local.set $s (i32.add (local.get $s) (local.get $rowBytes)))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $bLoop)))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $aLoop))))

)

if size :over "lots" { discard; }

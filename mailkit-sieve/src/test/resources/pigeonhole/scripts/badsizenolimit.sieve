if size :over { keep; }

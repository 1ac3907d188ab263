;; Issue 9, bug 4: a length is bounded by the bytes after its LEB, not by where the LEB starts.
;; Each module below claims one byte more than follows the length; the decoder once read it
;; (a heap over-read in the name-section reader under ASan).
(assert_malformed (module binary "\00asm" "\01\00\00\00" "\00\06\04name") "length out of bounds")
(assert_malformed (module binary "\00asm" "\01\00\00\00" "\00\8a\80\80\80\00\04name") "length out of bounds")
(assert_malformed (module binary "\00asm" "\01\00\00\00" "\00\05\04nam") "length out of bounds")
(assert_malformed (module binary "\00asm" "\01\00\00\00" "\01\05\01\60\00\00") "length out of bounds")
(assert_malformed (module binary "\00asm" "\01\00\00\00" "\00\03\02a") "length out of bounds")
;; the exact fit is accepted
(module binary "\00asm" "\01\00\00\00" "\00\05\04name")
(module binary "\00asm" "\01\00\00\00" "\00\85\80\80\80\00\04name")

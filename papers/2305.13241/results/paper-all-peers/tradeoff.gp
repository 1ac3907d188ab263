set terminal pngcairo size 1100,750 noenhanced font ',10'
set output 'tradeoff.png'
set title "Setup speed vs execution time (paper inputs): arXiv 2305.13241's trade-off space\nevery runtime of the table ran"
set xlabel 'setup speed: MB of wasm per second (whole process, log scale; right = faster setup)'
set ylabel 'execution time / native (geomean of medians, log scale; down = faster code)'
set logscale xy
set grid xtics ytics mxtics mytics
set key outside right top
set offsets graph 0.08, graph 0.08, graph 0.08, graph 0.08
plot 'tradeoff.dat' using (strcol(3) eq 'interpreter' ? $4 : 1/0):5 with points pt 7 ps 1.6 title 'interpreter', 'tradeoff.dat' using (strcol(3) eq 'baseline JIT' ? $4 : 1/0):5 with points pt 8 ps 1.6 title 'baseline JIT', 'tradeoff.dat' using (strcol(3) eq 'LLVM AOT' ? $4 : 1/0):5 with points pt 9 ps 1.6 title 'LLVM AOT', 'tradeoff.dat' using (strcol(3) eq 'optimizing JIT' ? $4 : 1/0):5 with points pt 10 ps 1.6 title 'optimizing JIT', 'tradeoff.dat' using 4:5:1 with labels offset 0,1 font ',9' notitle

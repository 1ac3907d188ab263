set terminal pngcairo size 1200,650 noenhanced font ',10'
set output 'relative.png'
set title 'Time relative to native (paper inputs, median of runs)'
set ylabel 'time / native time (log scale)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set datafile missing '-'
set logscale y
set yrange [1:100]
set grid ytics mytics
set key outside right top
set xtics nomirror rotate by -25
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb 'black'
plot for [i=2:3] 'relative.dat' using i:xtic(1) title columnheader(i)

reset
set terminal svg size 1200,650 noenhanced font 'sans,10' background rgb 'white'
set output 'relative.svg'
set title 'Time relative to native (paper inputs, median of runs)'
set ylabel 'time / native time (log scale)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set datafile missing '-'
set logscale y
set yrange [1:100]
set grid ytics mytics
set key outside right top
set xtics nomirror rotate by -25
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb 'black'
plot for [i=2:3] 'relative.dat' using i:xtic(1) title columnheader(i)

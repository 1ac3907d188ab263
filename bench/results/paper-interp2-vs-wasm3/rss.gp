set terminal pngcairo size 1200,650 noenhanced font ',10'
set output 'rss.png'
set title 'Peak resident set size of the timed runs (paper inputs)'
set ylabel 'MiB (max over runs, log scale)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set datafile missing '-'
set logscale y
set yrange [1:1000]
set grid ytics mytics
set key outside right top
set xtics nomirror rotate by -25
plot for [i=2:4] 'rss.dat' using i:xtic(1) title columnheader(i)

reset
set terminal svg size 1200,650 noenhanced font 'sans,10' background rgb 'white'
set output 'rss.svg'
set title 'Peak resident set size of the timed runs (paper inputs)'
set ylabel 'MiB (max over runs, log scale)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set datafile missing '-'
set logscale y
set yrange [1:1000]
set grid ytics mytics
set key outside right top
set xtics nomirror rotate by -25
plot for [i=2:4] 'rss.dat' using i:xtic(1) title columnheader(i)

set terminal pngcairo size 1200,650 noenhanced font ',10'
set output 'startup.png'
set title 'Startup: whole-process wall time of nop and cat-sync (16 MiB stdin)'
set ylabel 'milliseconds (median, log scale)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set datafile missing '-'
set logscale y
set yrange [0.1:1000]
set grid ytics mytics
set key outside right top
set xtics nomirror rotate by -25
plot for [i=2:13] 'startup.dat' using i:xtic(1) title columnheader(i)

reset
set terminal svg size 1200,650 noenhanced font 'sans,10' background rgb 'white'
set output 'startup.svg'
set title 'Startup: whole-process wall time of nop and cat-sync (16 MiB stdin)'
set ylabel 'milliseconds (median, log scale)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set datafile missing '-'
set logscale y
set yrange [0.1:1000]
set grid ytics mytics
set key outside right top
set xtics nomirror rotate by -25
plot for [i=2:13] 'startup.dat' using i:xtic(1) title columnheader(i)

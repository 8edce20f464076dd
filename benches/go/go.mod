module godeferbench

go 1.19

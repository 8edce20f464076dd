module godeferbench

// The language version of the twins, whatever Go builds them: with `go 1.19`,
// Go 1.22+ keeps one loop variable per loop (the twins copy it explicitly
// anyway, and no closure captures one), and Go 1.21+ keeps the 1.19 GODEBUG
// defaults (panic(nil) is not used). benches/run.py builds them with every Go
// it finds (Go 1.19.8 and Go 1.27.3 when the report was last written).
go 1.19

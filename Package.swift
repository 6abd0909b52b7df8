// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "tcplab",
    products: [
        .executable(name: "tcplab", targets: ["tcplab"]),
        .library(name: "TCPLabKit", targets: ["TCPLabKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // libpcap through its own header; no pkg-config (Debian's libpcap.pc drags in dbus flags).
        .systemLibrary(name: "CPcap", path: "Sources/CPcap"),
        // glibc's checked FD_SET, compiled as a C program would be (select-unchecked server of concurrency).
        .target(
            name: "CFortifiedFDSet",
            cSettings: [.unsafeFlags(["-O2", "-U_FORTIFY_SOURCE", "-D_FORTIFY_SOURCE=2"])]
        ),
        // liburing (io_uring) for the io-models async server: the library through its own module map,
        // and the inline helpers liburing.h defines (io_uring_prep_read, io_uring_peek_cqe …) compiled in C.
        .systemLibrary(name: "CLiburing", path: "Sources/CLiburing"),
        // A C target gets no autolink from the module map (only Swift importers do): link liburing here.
        .target(name: "CURingShim", dependencies: ["CLiburing"], linkerSettings: [.linkedLibrary("uring")]),
        // The io-models signal-driven server's SIGIO handler: async-signal-safe C.
        .target(name: "CSignalIO"),
        .target(name: "TCPLabKit", dependencies: ["CPcap", "CFortifiedFDSet", "CURingShim", "CSignalIO"]),
        .executableTarget(
            name: "tcplab",
            dependencies: [
                "TCPLabKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Exercises/Fixtures holds recorded RunReports the tests read by path (#filePath), not resources.
        .testTarget(name: "TCPLabKitTests", dependencies: ["TCPLabKit"], exclude: ["Exercises/Fixtures", "Check/Fixtures"]),
        // Live tests run the real tcplab binary; depending on it makes `swift test` build it first.
        .testTarget(name: "LiveTests", dependencies: ["TCPLabKit", "tcplab"], exclude: ["Programs"]),
    ]
)

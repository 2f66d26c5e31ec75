import Testing

/// The D7 framing models state their verdict matrix for one set of sizes; their expect lines are qualified by
/// the sizes (a segment can exceed the destination's data area, the setup check refuses the pair of areas), so
/// the same lines must hold for every size. These runs check them, under --strict, on a grid of sizes: the
/// verdicts are facts about the sizes, not about the default values. A debug build checks each in well under a
/// second.
@Suite struct FramingSizeTests {
    /// Units of device state, the source's data area and the destination's data area (v1-framing.vmc).
    static let v1Sizes: [(total: Int, source: Int, destination: Int)] =
        (2...4).flatMap { total in (1...3).flatMap { source in (1...3).map { (total, source, $0) } } }

    @Test(arguments: v1Sizes.indices)
    func v1FramingVerdictsHoldForEverySize(index: Int) throws {
        let size = Self.v1Sizes[index]
        let run = try CLITests.run([
            "check", "--strict", "--const", "TOTAL=\(size.total)", "--const", "SRC_AREA=\(size.source)",
            "--const", "DST_AREA=\(size.destination)", CLITests.repositoryModel("v1-framing.vmc"),
        ])
        #expect(run.status == 0, "v1-framing.vmc with \(size):\n\(run.stdout)\(run.stderr)")
    }

    /// Units of device state and the largest read() of the source driver (v2-rechunk.vmc).
    static let v2Sizes: [(total: Int, read: Int)] = (1...4).flatMap { total in (1...3).map { (total, $0) } }

    @Test(arguments: v2Sizes.indices)
    func v2RechunkVerdictsHoldForEverySize(index: Int) throws {
        let size = Self.v2Sizes[index]
        let run = try CLITests.run([
            "check", "--strict", "--const", "TOTAL=\(size.total)", "--const", "RMAX=\(size.read)",
            CLITests.repositoryModel("v2-rechunk.vmc"),
        ])
        #expect(run.status == 0, "v2-rechunk.vmc with \(size):\n\(run.stdout)\(run.stderr)")
    }
}

import Foundation
import Testing

/// The models of issue 14's open questions (D6, D8: user accesses, dirty tracking, P2P interrupts) state their
/// verdict matrix for N = 2 devices; these runs check that every expect line still holds, under --strict, for
/// N = 2 to 5, so the verdicts do not depend on the device count. A debug build checks N = 5 in seconds.
@Suite struct DeviceCountTests {
    static let models = ["v2-user-access.vmc", "v2-dirty-tracking.vmc", "v2-p2p-interrupts.vmc"]

    @Test(arguments: models, 2...5)
    func verdictsHoldForEveryDeviceCount(model: String, devices: Int) throws {
        let run = try CLITests.run(["check", "--strict", "--const", "N=\(devices)", CLITests.repositoryModel(model)])
        #expect(run.status == 0, "\(model) with N=\(devices):\n\(run.stdout)\(run.stderr)")
    }
}

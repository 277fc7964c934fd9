import Foundation
import Testing

@testable import MuJoCo

/// The repository's `models/` folder, found from this file's location.
let modelsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("models")

func loadModel(_ file: String) throws -> MuJoCoModel {
    try MuJoCoModel(contentsOf: modelsDirectory.appendingPathComponent(file).path)
}

/// Deterministic controls in [-1, 1] for step `t`.
func controls(_ t: Int, count: Int) -> [Double] {
    (0..<count).map { sin(Double(t) * 0.37 + Double($0) * 1.3) }
}

/// Applies controls and steps `steps` times, returning every qpos, qvel and xpos value visited.
func trajectory(_ simulation: Simulation, from t0: Int, steps: Int) -> [Double] {
    var visited: [Double] = []
    for t in t0..<(t0 + steps) {
        _ = simulation.ctrl.update(fromContentsOf: controls(t, count: simulation.model.nu))
        simulation.step(count: 5)
        visited += Array(simulation.qpos) + Array(simulation.qvel) + Array(simulation.xpos)
    }
    return visited
}

@Suite("Swift MuJoCo layer")
struct MuJoCoLayerTests {
    @Test("links MuJoCo 2.2.2")
    func version() {
        #expect(MuJoCoModel.libraryVersion == 222)
    }

    @Test("names the loaded library: version and an existing libmujoco file")
    func loadedLibrary() throws {
        let library = MuJoCoLibrary.loaded
        #expect(library.version == "2.2.2")
        #expect(library.versionNumber == 222)
        let path = try #require(library.path)
        #expect(path.hasPrefix("/"))
        #expect(URL(fileURLWithPath: path).lastPathComponent.hasPrefix("libmujoco.so"))
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(library.description == "MuJoCo 2.2.2 (\(path))")
    }

    @Test("loads a model with the expected sizes")
    func loadsModel() throws {
        let model = try loadModel("hopper.xml")
        #expect((model.nq, model.nv, model.nu, model.nbody) == (6, 6, 3, 5))
        #expect(model.timestep == 0.002)
        #expect(model.defaultPositions == [0, 1.25, 0, 0, 0, 0])
        #expect(try model.bodyIndex(named: "torso") == 1)
        #expect(throws: MuJoCoError.unknownName(kind: "body", name: "tail")) { try model.bodyIndex(named: "tail") }
    }

    @Test("a missing file fails with MuJoCo's own message and the path")
    func missingFile() throws {
        let path = "/nonexistent/robot.xml"
        do {
            _ = try MuJoCoModel(contentsOf: path)
            Issue.record("loading a missing file succeeded")
        } catch let MuJoCoError.loadFailed(failedPath, message) {
            #expect(failedPath == path)
            #expect(!message.isEmpty && message != "unknown error")
            #expect(MuJoCoError.loadFailed(path: failedPath, message: message).description.contains(path))
        }
    }

    @Test("malformed XML fails with MuJoCo's parser message")
    func malformedXML() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("malformed-\(UUID().uuidString).xml")
        try "<mujoco><worldbody><body name='a'></worldbody>".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            _ = try MuJoCoModel(contentsOf: url.path)
            Issue.record("loading malformed XML succeeded")
        } catch let MuJoCoError.loadFailed(_, message) {
            #expect(message.localizedCaseInsensitiveContains("xml"))
        }
    }

    @Test(
        "restoring a captured state gives the identical next steps",
        arguments: ["ant.xml", "hopper.xml", "humanoid.xml", "humanoidstandup.xml"])
    func saveRestore(file: String) throws {
        let model = try loadModel(file)
        let original = Simulation(model: model)
        _ = trajectory(original, from: 0, steps: 40)
        let saved = original.captureState()
        let expected = trajectory(original, from: 40, steps: 30)

        let fresh = Simulation(model: model)
        try fresh.restore(saved)
        #expect(fresh.captureState() == saved)
        let replayed = trajectory(fresh, from: 40, steps: 30)
        let identical = replayed.map(\.bitPattern) == expected.map(\.bitPattern)
        #expect(identical)

        // Restoring into a simulation that has moved on works the same way.
        try original.restore(saved)
        let again = trajectory(original, from: 40, steps: 30)
        let identicalAgain = again.map(\.bitPattern) == expected.map(\.bitPattern)
        #expect(identicalAgain)
    }

    @Test("the warm start is part of the state: dropping it changes the continuation")
    func warmStartMatters() throws {
        // Humanoid has active contacts here, so its constraint solver starts from the warm start.
        let model = try loadModel("humanoid.xml")
        let simulation = Simulation(model: model)
        _ = trajectory(simulation, from: 0, steps: 20)
        var saved = simulation.captureState()
        let expected = trajectory(simulation, from: 20, steps: 10)
        saved.qaccWarmstart = Array(repeating: 0, count: saved.qaccWarmstart.count)
        try simulation.restore(saved)
        let continuation = trajectory(simulation, from: 20, steps: 10)
        let identical = continuation.map(\.bitPattern) == expected.map(\.bitPattern)
        #expect(!identical)
    }

    @Test("physicsSeconds counts the time inside MuJoCo's calls and nothing else")
    func physicsTime() throws {
        let simulation = Simulation(model: try loadModel("humanoid.xml"))
        #expect(simulation.physicsSeconds == 0)
        let start = Date()
        _ = trajectory(simulation, from: 0, steps: 50)
        simulation.rnePostConstraint()
        let wall = Date().timeIntervalSince(start)
        let stepped = simulation.physicsSeconds
        #expect(stepped > 0 && stepped <= wall)
        // Reading and writing fields is not physics.
        for _ in 0..<1000 { _ = simulation.qpos.update(fromContentsOf: Array(simulation.qpos)) }
        #expect(simulation.physicsSeconds == stepped)
        simulation.resetData()
        simulation.forward()
        #expect(simulation.physicsSeconds > stepped)
    }

    @Test("a state of another model is rejected and changes nothing")
    func stateMismatch() throws {
        let hopper = Simulation(model: try loadModel("hopper.xml"))
        let ant = Simulation(model: try loadModel("ant.xml"))
        _ = trajectory(hopper, from: 0, steps: 5)
        let before = hopper.captureState()
        #expect(throws: MuJoCoError.stateMismatch(field: "qpos", expected: 6, found: 15)) {
            try hopper.restore(ant.captureState())
        }
        #expect(hopper.captureState() == before)
    }

    @Test("diverging physics is reported as a warning after MuJoCo resets the state")
    func instabilityWarning() throws {
        let simulation = Simulation(model: try loadModel("hopper.xml"))
        simulation.forward()
        let counts = simulation.warningCounts
        #expect(simulation.warnings(since: counts).isEmpty)
        simulation.qvel[0] = 1e12
        simulation.step()
        let raised = simulation.warnings(since: counts)
        #expect(raised.contains(.badVelocity))
        #expect(!raised.isDisjoint(with: .stateReset))
        // MuJoCo reset to qpos0 and zero velocity inside the step, then finished it.
        let offset = zip(simulation.qpos, simulation.model.defaultPositions).map { abs($0 - $1) }.max()!
        #expect(offset < 1e-3)
        #expect(simulation.qvel.allSatisfy { abs($0) < 1 })
        #expect(simulation.hasWarned(.badVelocity))
        simulation.resetData()
        #expect(!simulation.hasWarned(.badVelocity))
    }

    @Test("a NaN control is reported and the state stays finite")
    func nanControl() throws {
        let simulation = Simulation(model: try loadModel("hopper.xml"))
        simulation.forward()
        let counts = simulation.warningCounts
        simulation.ctrl[1] = .nan
        simulation.step()
        #expect(simulation.warnings(since: counts).contains(.badControl))
        #expect(simulation.qpos.allSatisfy { $0.isFinite })
    }
}

#!/usr/bin/env node
/**
 * gpufleet's minimal Pulumi language host for Node.js programs, used by the end-to-end suite
 * (the Go module proxy does not serve the upstream host). It implements the engine's
 * LanguageRuntime gRPC service (proto/pulumi/language.proto) with the stubs that ship in the
 * @pulumi/pulumi npm package, and runs programs and policy packs with that package's own
 * launchers: `@pulumi/pulumi/cmd/run` for `pulumi up/preview/destroy`, and, for the plugins the
 * engine starts through RunPlugin, `@pulumi/pulumi/cmd/run-policy-pack` for a policy pack
 * (`--policy-pack`) and `@pulumi/pulumi/cmd/run-plugin` for a resource plugin (a component
 * package such as pulumi-plugin/, which a program in another language uses).
 *
 * Protocol: the engine starts `pulumi-language-nodejs <engine-address>` and reads the port of
 * this server from the first line of stdout.
 */
"use strict";

const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdkDir] }));
const languageProto = require(path.join(sdkDir, "proto", "language_pb.js"));
const languageService = require(path.join(sdkDir, "proto", "language_grpc_pb.js"));
const pluginProto = require(path.join(sdkDir, "proto", "plugin_pb.js"));
const emptyProto = require(require.resolve("google-protobuf/google/protobuf/empty_pb.js", { paths: [sdkDir] }));

const sdkVersion = require(path.join(sdkDir, "package.json")).version;
/** The launcher's exit code when it already reported the error to the user (cmd/run/index.js). */
const EXIT_ERROR_REPORTED = 32;

let engineAddress =
  process.argv
    .slice(2)
    .filter((a) => !a.startsWith("-"))
    .pop() ?? "";

/** The program's options from Pulumi.yaml `runtime.options`, as a plain object. */
function runtimeOptions(info) {
  const options = info?.getOptions();
  return options ? options.toJavaScript() : {};
}

/** Absolute path of the program to run: the entry point inside the program directory. */
function programPath(info, pwd) {
  if (!info) return ".";
  const entry = info.getEntryPoint() || ".";
  return entry === "." ? info.getProgramDirectory() || pwd || "." : path.join(info.getProgramDirectory(), entry);
}

/** Resolves a launcher of the @pulumi/pulumi the program itself depends on. */
function launcher(fromDir, name) {
  return require.resolve(`@pulumi/pulumi/cmd/${name}`, { paths: [fromDir, sdkDir] });
}

/** Environment the launcher reads: config, secret keys and TypeScript settings. */
function runEnvironment(request, options) {
  const config = {};
  for (const [key, value] of request.getConfigMap().entries()) config[key] = value;
  const env = {
    ...process.env,
    PULUMI_CONFIG: JSON.stringify(config),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(request.getConfigsecretkeysList()),
    PULUMI_NODEJS_TYPESCRIPT: String(options.typescript ?? true),
  };
  if (typeof options.tsconfig === "string") env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
  return env;
}

/** Launcher flags for one RunRequest (see `@pulumi/pulumi/cmd/run --help`). */
function runArguments(request, info) {
  const args = [];
  const flag = (name, value) => {
    if (value !== undefined && value !== "") args.push(`--${name}=${value}`);
  };
  flag("monitor", request.getMonitorAddress());
  flag("engine", engineAddress);
  flag("organization", request.getOrganization());
  flag("project", request.getProject());
  flag("stack", request.getStack());
  flag("pwd", request.getPwd());
  flag("root-directory", info?.getRootDirectory());
  flag("parallel", String(request.getParallel()));
  if (request.getDryrun()) args.push("--dry-run");
  args.push(programPath(info, request.getPwd()), ...request.getArgsList());
  return args;
}

function nodeArgs(options) {
  return typeof options.nodeargs === "string" ? options.nodeargs.split(/\s+/).filter(Boolean) : [];
}

/** Runs the program to completion, passing its output through, and reports how it ended. */
function run(call, callback) {
  const request = call.request;
  const info = request.getInfo();
  const options = runtimeOptions(info);
  const cwd = request.getPwd() || info?.getProgramDirectory() || process.cwd();
  let runner;
  try {
    runner = launcher(cwd, "run");
  } catch {
    callback(null, errorResponse(`@pulumi/pulumi is not installed for the program in ${cwd}; run npm ci.`));
    return;
  }
  const child = spawn(process.execPath, [...nodeArgs(options), runner, ...runArguments(request, info)], {
    cwd,
    env: runEnvironment(request, options),
    stdio: ["ignore", "inherit", "inherit"],
  });
  child.on("error", (err) => callback(null, errorResponse(`could not start node: ${err.message}`)));
  child.on("exit", (code, signal) => {
    const response = new languageProto.RunResponse();
    if (code === EXIT_ERROR_REPORTED) response.setBail(true);
    else if (code !== 0) response.setError(`Program exited with ${signal ? `signal ${signal}` : `code ${code}`}`);
    callback(null, response);
  });
}

function errorResponse(message) {
  const response = new languageProto.RunResponse();
  response.setError(message);
  return response;
}

/**
 * How each kind of plugin is launched. A policy pack takes the engine's arguments before its
 * directory; a resource plugin takes its directory first, and the launcher hands the rest (the
 * engine's address) to the provider it serves.
 */
const PLUGIN_LAUNCHERS = {
  analyzer: (dir, info, args) => [launcher(dir, "run-policy-pack"), ...args, programPath(info, dir)],
  resource: (dir, info, args) => [launcher(dir, "run-plugin"), programPath(info, dir), ...args],
};

/** Starts a plugin written in Node.js (a policy pack or a resource plugin), streaming its output back. */
function runPlugin(call) {
  const request = call.request;
  const send = (set, value) => {
    const response = new languageProto.RunPluginResponse();
    response[set](value);
    call.write(response);
  };
  const info = request.getInfo();
  const dir = info?.getProgramDirectory() || request.getPwd();
  const launch = PLUGIN_LAUNCHERS[request.getKind()];
  if (!launch) {
    call.destroy({
      code: grpc.status.UNIMPLEMENTED,
      details: `plugins of kind ${request.getKind()} are not supported`,
    });
    return;
  }
  const env = { ...process.env };
  for (const entry of request.getEnvList()) {
    const at = entry.indexOf("=");
    if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  const options = runtimeOptions(info);
  let launchArgs;
  try {
    launchArgs = launch(dir, info, request.getArgsList());
  } catch {
    call.destroy({ code: grpc.status.FAILED_PRECONDITION, details: `@pulumi/pulumi is not installed for ${dir}` });
    return;
  }
  const child = spawn(process.execPath, [...nodeArgs(options), ...launchArgs], {
    cwd: dir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (chunk) => send("setStdout", chunk));
  child.stderr.on("data", (chunk) => send("setStderr", chunk));
  call.on("cancelled", () => child.kill("SIGINT"));
  child.on("error", (err) => call.destroy({ code: grpc.status.INTERNAL, details: err.message }));
  child.on("close", (code) => {
    send("setExitcode", code ?? 1);
    call.end();
  });
}

/** Reads a package.json, or undefined when there is none. */
function readPackage(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

/** The nearest package.json at or above a directory. */
function nearestPackage(dir) {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const file = path.join(d, "package.json");
    if (fs.existsSync(file)) return file;
    if (path.dirname(d) === d) return undefined;
  }
}

/** Installed packages the program depends on, transitively, resolved the way Node resolves them. */
function installedDependencies(programDir) {
  const root = nearestPackage(programDir);
  const found = new Map();
  const visit = (packageFile) => {
    const pkg = readPackage(packageFile);
    if (!pkg) return;
    const names = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies });
    for (const name of names) {
      let file;
      try {
        file = require.resolve(`${name}/package.json`, { paths: [path.dirname(packageFile)] });
      } catch {
        continue;
      }
      if (found.has(file)) continue;
      const dep = readPackage(file);
      if (!dep) continue;
      found.set(file, dep);
      visit(file);
    }
  };
  if (root) visit(root);
  return [...found.values()];
}

/** Resource plugins the program needs: packages marked `"pulumi": { "resource": true }`. */
function requiredPlugins(programDir) {
  return installedDependencies(programDir)
    .filter((pkg) => pkg.pulumi?.resource)
    .map((pkg) => ({
      name: pkg.pulumi.name ?? pkg.name.replace(/^@pulumi\//, "").replace(/^@/, ""),
      version: `v${pkg.pulumi.version ?? pkg.version}`.replace(/^vv/, "v"),
      server: pkg.pulumi.server ?? "",
    }));
}

function programDirOf(request) {
  const info = request.getInfo();
  return info ? info.getProgramDirectory() : request.getPwd?.() || process.cwd();
}

const service = {
  handshake(call, callback) {
    engineAddress = call.request.getEngineAddress() || engineAddress;
    callback(null, new languageProto.LanguageHandshakeResponse());
  },
  getPluginInfo(_call, callback) {
    const response = new pluginProto.PluginInfo();
    response.setVersion(sdkVersion);
    callback(null, response);
  },
  getRequiredPlugins(call, callback) {
    const response = new languageProto.GetRequiredPluginsResponse();
    for (const p of requiredPlugins(programDirOf(call.request))) {
      const dep = new pluginProto.PluginDependency();
      dep.setName(p.name);
      dep.setKind("resource");
      dep.setVersion(p.version);
      dep.setServer(p.server);
      response.addPlugins(dep);
    }
    callback(null, response);
  },
  getRequiredPackages(call, callback) {
    const response = new languageProto.GetRequiredPackagesResponse();
    for (const p of requiredPlugins(programDirOf(call.request))) {
      const dep = new pluginProto.PackageDependency();
      dep.setName(p.name);
      dep.setKind("resource");
      dep.setVersion(p.version);
      dep.setServer(p.server);
      response.addPackages(dep);
    }
    callback(null, response);
  },
  getProgramDependencies(call, callback) {
    const response = new languageProto.GetProgramDependenciesResponse();
    for (const pkg of installedDependencies(programDirOf(call.request))) {
      const dep = new languageProto.DependencyInfo();
      dep.setName(pkg.name);
      dep.setVersion(pkg.version);
      response.addDependencies(dep);
    }
    callback(null, response);
  },
  about(_call, callback) {
    const response = new languageProto.AboutResponse();
    response.setExecutable(process.execPath);
    response.setVersion(process.version);
    callback(null, response);
  },
  // Dependencies are the repository's own (npm ci); nothing to install per program.
  installDependencies(call) {
    call.end();
  },
  run,
  runPlugin,
  cancel(_call, callback) {
    callback(null, new emptyProto.Empty());
  },
};

const server = new grpc.Server();
server.addService(languageService.LanguageRuntimeService, service);
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) {
    console.error(`gpufleet language host: could not listen: ${err.message}`);
    process.exit(1);
  }
  process.stdout.write(`${port}\n`);
});

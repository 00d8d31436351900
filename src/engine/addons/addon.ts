/**
 * A minikube add-on as the lab simulates it: its row in `minikube addons list` (name, maintainer, default state) and,
 * for the add-ons the lab runs, what enabling and disabling it does to the cluster. Enabling creates the add-on's
 * objects through the API server, as minikube's `kubectl apply` of the add-on's manifests does; its pods then start
 * on the virtual clock like any other (image pull, probes). Disabling deletes them again.
 */
import type { ApiServer } from '../server/api-server';

/** What an add-on's enable/disable acts on: the API server, as minikube's kubectl does. */
export interface AddonContext {
  readonly api: ApiServer;
  /** The profile (cluster) name; minikube names it in its tips (`minikube -p NAME ...`). */
  readonly profile: string;
}

/** What the lab does for an add-on it simulates. */
export interface AddonBehaviour {
  /** Creates (or re-creates) the add-on's objects. Idempotent: enabling an enabled add-on changes nothing. */
  enable(ctx: AddonContext): void;
  /** Deletes the add-on's objects; their dependents go with them as the garbage collector removes them. */
  disable(ctx: AddonContext): void;
  /** Whether its objects are in the cluster (the state `minikube addons list` shows; kept by snapshots with them). */
  isEnabled(api: ApiServer): boolean;
  /** The tip minikube prints after enabling it (dashboard: metrics-server), without the emoji prefix. */
  tipAfterEnable?(profile: string): string;
}

/** One add-on of minikube v1.33.1 (pkg/minikube/assets/addons.go). */
export interface Addon {
  readonly name: string;
  /** The MAINTAINER column; an official maintainer is one of Google, Kubernetes, minikube. */
  readonly maintainer: string;
  /** GitHub handle minikube names for a 3rd-party add-on with a verified maintainer. */
  readonly verifiedMaintainer?: string;
  /** Enabled by `minikube start` (storage-provisioner, default-storageclass). */
  readonly enabledByDefault: boolean;
  /** `registry/path:tag` of each image, as `minikube addons enable` lists them ("Using image ..."). */
  readonly images: readonly string[];
  /** minikube waits for the add-on's pods after enabling it (pkg/addons addonPodLabels: "Verifying X addon..."). */
  readonly verifiesPods?: boolean;
  /** Present when the lab simulates the add-on; enabling any other one says that it is not simulated. */
  readonly behaviour?: AddonBehaviour;
}

/** minikube's official maintainers: their add-ons get the "maintained by" tip instead of the 3rd-party warning. */
export const OFFICIAL_MAINTAINERS: readonly string[] = ['Google', 'Kubernetes', 'minikube'];

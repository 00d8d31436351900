/**
 * corpus/storage.lines: StorageClass, PersistentVolumeClaim and PersistentVolume tables and describers, dynamic
 * provisioning by minikube's hostpath provisioner, static binding, validation and StatefulSet claim templates,
 * judged by real kubectl against `engine serve` (corpus-suite.ts).
 */
import { describeCorpus } from './corpus-suite';

describeCorpus('conformance: storage (PVC, PV, StorageClass)', 'storage.lines');

import { Inject, Injectable } from '@nestjs/common';
import * as fs from 'node:fs';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { makeServingCertificates } from '../engine/http/tls';
import { KubeApiTokenRepository } from './kube-api-token.repository';

export interface ListenerCertificate {
  cert: string;
  key: string;
  /** The CA kubeconfigs carry (PEM); undefined when the certificate is publicly trusted. */
  ca: string | undefined;
}

const GENERATED_ID = 'default';

/**
 * The Kubernetes API listener's certificate: an operator's own (KUBE_API_CERT_FILE, KUBE_API_KEY_FILE and
 * optionally KUBE_API_CA_FILE), or a CA and a certificate for 127.0.0.1/localhost made once and kept in the
 * database, so every API process serves the same one and kubeconfigs stay valid across restarts.
 */
@Injectable()
export class ServingCertificateService {
  private loaded: Promise<ListenerCertificate> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: KubeApiTokenRepository,
  ) {}

  certificate(): Promise<ListenerCertificate> {
    this.loaded ??= this.load();
    this.loaded.catch(() => (this.loaded = undefined));
    return this.loaded;
  }

  private async load(): Promise<ListenerCertificate> {
    const { certFile, keyFile, caFile } = this.config.kubeApi;
    if (certFile !== undefined && keyFile !== undefined) {
      return {
        cert: fs.readFileSync(certFile, 'utf8'),
        key: fs.readFileSync(keyFile, 'utf8'),
        ca: caFile === undefined ? undefined : fs.readFileSync(caFile, 'utf8'),
      };
    }
    const kept =
      (await this.store.findCertificate(GENERATED_ID)) ??
      (await this.store.keepFirstCertificate({ id: GENERATED_ID, ...this.generate() }));
    return { cert: kept.serverCert, key: kept.serverKey, ca: kept.caCert };
  }

  private generate(): { caCert: string; serverCert: string; serverKey: string } {
    return makeServingCertificates();
  }
}

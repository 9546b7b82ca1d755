/** The container a command runs in. */
export interface ContainerInfo {
  podName: string;
  namespace: string;
  podIp: string;
  container: string;
  image: string;
}

// Declare all of an account's Amazon ECR repositories, with their access policies, lifecycle rules and encryption, as one validated component.
package ecrrepos
